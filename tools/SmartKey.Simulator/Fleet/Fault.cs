namespace SmartKey.Simulator.Fleet;

/// <summary>The one fault a virtual lock carries (FaultRates decides how many get each).</summary>
public enum Fault
{
    None,
    BadFlash,
    LowBattery,
    PowerCut,
    BrokerDrop,
    BadBoot,
}
