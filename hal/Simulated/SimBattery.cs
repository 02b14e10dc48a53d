using System;

namespace SmartKey.Hal.Simulated;

/// <summary>
/// A battery pack behind a resistor divider on a 12-bit ADC: open-circuit voltage falls with the
/// charge drawn (piecewise-linear curve of the pack), the voltage sags by I×R while the motor runs,
/// and each reading carries a little seeded noise.
/// </summary>
public sealed class SimBattery : IBatteryAdc
{
    private readonly int[] _curvePercent;
    private readonly int[] _curveMillivolts;
    private readonly SeededEntropy _noise;

    /// <param name="curvePercent">State of charge points, descending (100 … 0).</param>
    /// <param name="curveMillivolts">Open-circuit millivolts at those points.</param>
    public SimBattery(double capacityMilliampHours, int[] curvePercent, int[] curveMillivolts, int internalMilliohms,
        int dividerTopOhms, int dividerBottomOhms, int fullScaleMillivolts, int noiseCounts = 3, ulong seed = 7)
    {
        CapacityMilliampHours = capacityMilliampHours;
        _curvePercent = curvePercent;
        _curveMillivolts = curveMillivolts;
        InternalMilliohms = internalMilliohms;
        DividerTopOhms = dividerTopOhms;
        DividerBottomOhms = dividerBottomOhms;
        FullScaleMillivolts = fullScaleMillivolts;
        NoiseCounts = noiseCounts;
        _noise = new SeededEntropy(seed);
    }

    /// <summary>4×AA alkaline in series: about 2,500 mAh, 6.4 V fresh, 4.0 V empty.</summary>
    public static SimBattery FourAaAlkaline(int dividerTopOhms, int dividerBottomOhms, int fullScaleMillivolts) =>
        new(2500, new[] { 100, 90, 70, 50, 30, 10, 0 }, new[] { 6400, 6000, 5600, 5200, 4800, 4400, 4000 }, 600,
            dividerTopOhms, dividerBottomOhms, fullScaleMillivolts);

    public double CapacityMilliampHours { get; }

    public double DrawnMilliampHours { get; private set; }

    public int InternalMilliohms { get; }

    public int DividerTopOhms { get; }

    public int DividerBottomOhms { get; }

    public int FullScaleMillivolts { get; }

    public int NoiseCounts { get; set; }

    /// <summary>Present load in mA (e.g. 300 while the motor runs); the simulation wires it to its power model.</summary>
    public Func<int> LoadMilliamps { get; set; } = () => 0;

    public int MaxCount => 4095;

    public double StateOfChargePercent => Math.Max(0, 100 * (1 - DrawnMilliampHours / CapacityMilliampHours));

    public void Drain(double milliampHours) => DrawnMilliampHours = Math.Min(CapacityMilliampHours, DrawnMilliampHours + milliampHours);

    /// <summary>Jumps to a state of charge (battery decline scenarios).</summary>
    public void SetStateOfCharge(double percent) => DrawnMilliampHours = CapacityMilliampHours * (1 - percent / 100);

    public int OpenCircuitMillivolts
    {
        get
        {
            double soc = StateOfChargePercent;
            for (int i = 1; i < _curvePercent.Length; i++)
            {
                if (soc >= _curvePercent[i])
                {
                    double t = (soc - _curvePercent[i]) / (_curvePercent[i - 1] - _curvePercent[i]);
                    return (int)(_curveMillivolts[i] + t * (_curveMillivolts[i - 1] - _curveMillivolts[i]));
                }
            }

            return _curveMillivolts[^1];
        }
    }

    public int TerminalMillivolts => Math.Max(0, OpenCircuitMillivolts - LoadMilliamps() * InternalMilliohms / 1000);

    public int ReadCount()
    {
        double pin = (double)TerminalMillivolts * DividerBottomOhms / (DividerTopOhms + DividerBottomOhms);
        int count = (int)Math.Round(pin * MaxCount / FullScaleMillivolts);
        if (NoiseCounts > 0) count += _noise.NextInt(2 * NoiseCounts + 1) - NoiseCounts;
        return Math.Clamp(count, 0, MaxCount);
    }
}
