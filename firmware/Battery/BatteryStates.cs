namespace SmartKey.Firmware.Battery
{
    /// <summary>
    /// The battery state machine as a pure function: a state is entered at its threshold and left only
    /// `hysteresis` points above it, so a voltage that wobbles around a threshold does not flap.
    /// </summary>
    public static class BatteryStates
    {
        public static BatteryState Next(BatteryState current, int percent, int lowPercent, int criticalPercent, int hysteresis)
        {
            switch (current)
            {
                case BatteryState.Critical:
                    if (percent >= lowPercent + hysteresis) return BatteryState.Ok;
                    return percent >= criticalPercent + hysteresis ? BatteryState.Low : BatteryState.Critical;
                case BatteryState.Low:
                    if (percent <= criticalPercent) return BatteryState.Critical;
                    return percent >= lowPercent + hysteresis ? BatteryState.Ok : BatteryState.Low;
                default:
                    if (percent <= criticalPercent) return BatteryState.Critical;
                    return percent <= lowPercent ? BatteryState.Low : BatteryState.Ok;
            }
        }

        /// <summary>The state of a first reading, with no history.</summary>
        public static BatteryState Initial(int percent, int lowPercent, int criticalPercent)
        {
            return Next(BatteryState.Ok, percent, lowPercent, criticalPercent, 0);
        }
    }
}
