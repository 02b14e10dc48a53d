namespace SmartKey.Hal
{
    /// <summary>
    /// A debounced digital input: end-stops, door contact, button. "Active" means the condition the
    /// name says (bolt at its end, door closed, button pressed), whatever the electrical polarity.
    /// </summary>
    public interface IBinaryInput
    {
        bool IsActive { get; }

        /// <summary>Raised on a change; may run on a driver thread, so handlers only queue work.</summary>
        event InputChangedHandler Changed;
    }
}
