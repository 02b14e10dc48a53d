namespace SmartKey.Hal
{
    public delegate void InputChangedHandler(object sender, bool isActive);
}
