namespace SmartKey.Hal.Simulated;

/// <summary>
/// The bolt, its motor and its two end-stops. The bolt travels TravelMs of motor time from fully
/// retracted (unlocked) to fully extended (locked). A jam stops it at a chosen point, so the
/// end-stop is never reached: the firmware must time out, stop the motor and report a jam.
/// </summary>
public sealed class SimLockMechanism : ILockMotor
{
    private long _positionMs;
    private long _jamAtMs = -1;

    public SimLockMechanism(int travelMs = 800, bool startLocked = true)
    {
        TravelMs = travelMs;
        _positionMs = startLocked ? travelMs : 0;
        UpdateEndStops();
    }

    public int TravelMs { get; }

    public SimInput LockedEndStop { get; } = new();

    public SimInput UnlockedEndStop { get; } = new();

    public MotorDrive Drive { get; private set; }

    /// <summary>Milliseconds the motor has run in total (for the power model and wear).</summary>
    public long MotorOnMs { get; private set; }

    public bool IsStalled { get; private set; }

    public long PositionMs => _positionMs;

    public void SetDrive(MotorDrive drive) => Drive = drive;

    /// <summary>The bolt will stick when it reaches this point of travel (0..TravelMs) in either direction.</summary>
    public void JamAt(long positionMs) => _jamAtMs = positionMs;

    public void ClearJam()
    {
        _jamAtMs = -1;
        IsStalled = false;
    }

    /// <summary>Moves the bolt by the time the motor ran.</summary>
    public void Advance(long milliseconds)
    {
        if (Drive == MotorDrive.Stop || milliseconds <= 0) return;
        MotorOnMs += milliseconds;
        long target = Drive == MotorDrive.Extend ? _positionMs + milliseconds : _positionMs - milliseconds;
        if (_jamAtMs >= 0 && ((Drive == MotorDrive.Extend && _positionMs <= _jamAtMs && target >= _jamAtMs)
                              || (Drive == MotorDrive.Retract && _positionMs >= _jamAtMs && target <= _jamAtMs)))
        {
            target = _jamAtMs;
            IsStalled = true;
        }

        _positionMs = target < 0 ? 0 : target > TravelMs ? TravelMs : target;
        UpdateEndStops();
    }

    /// <summary>Someone turns the key or the thumb-turn by hand.</summary>
    public void MoveByHand(bool toLocked)
    {
        _positionMs = toLocked ? TravelMs : 0;
        UpdateEndStops();
    }

    private void UpdateEndStops()
    {
        LockedEndStop.Set(_positionMs >= TravelMs);
        UnlockedEndStop.Set(_positionMs <= 0);
    }
}
