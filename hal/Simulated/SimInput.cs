namespace SmartKey.Hal.Simulated;

/// <summary>A digital input the simulation (or a test) sets; raises Changed only on a real change.</summary>
public sealed class SimInput : IBinaryInput
{
    public SimInput(bool initial = false) => IsActive = initial;

    public bool IsActive { get; private set; }

    public event InputChangedHandler? Changed;

    public void Set(bool active)
    {
        if (active == IsActive) return;
        IsActive = active;
        Changed?.Invoke(this, active);
    }
}
