namespace SmartKey.OtaServer.Rollouts;

/// <summary>
/// A rollout's states: created → (approve, by another operator) approved → (start) running ⇄ paused
/// (pause / resume; the driver pauses by itself on the error threshold or a group that misses its success
/// threshold) → completed (the last group succeeded); created, approved, running and paused → cancelled.
/// </summary>
public static class RolloutStates
{
    public const string Created = "created";
    public const string Approved = "approved";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
}
