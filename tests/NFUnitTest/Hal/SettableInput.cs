using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>A digital input the test sets (end-stops, door, button); a change raises Changed.</summary>
    public sealed class SettableInput : IBinaryInput
    {
        public SettableInput(bool active)
        {
            IsActive = active;
        }

        public bool IsActive { get; private set; }

        public event InputChangedHandler Changed;

        public void Set(bool active)
        {
            if (active == IsActive)
            {
                return;
            }

            IsActive = active;
            InputChangedHandler handler = Changed;
            if (handler != null)
            {
                handler(this, active);
            }
        }
    }
}
