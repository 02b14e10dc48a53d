namespace SmartKey.OtaServer.Rollouts;

/// <summary>One lock's part in one rollout (state machine in docs/ota-server.md; states in ActionStates).</summary>
public sealed class DeviceAction
{
    public long RolloutId { get; set; }
    public string Serial { get; set; } = "";
    public long GroupIndex { get; set; }
    public string State { get; set; } = "";
    public long Attempts { get; set; }
    public long Failures { get; set; }
    public string? LastStatus { get; set; }
    public long LastError { get; set; }
    public long Progress { get; set; }
    public long UpdatedAt { get; set; }
}
