using System;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>Thrown by the lane's hardware at the instant power is cut; it unwinds the firmware as a real cut would. Firmware never catches it.</summary>
    public sealed class PowerCutException : Exception
    {
        public PowerCutException(string where)
            : base("power cut during " + where)
        {
        }
    }
}
