namespace SmartKey.Firmware.Button
{
    /// <summary>The button was pressed and released after heldMs.</summary>
    public delegate void ButtonPressedHandler(long heldMs);
}
