namespace SmartKey.OtaServer.Rollouts;

/// <summary>One rollout as stored: release, target filter, group plan, thresholds and where it stands.</summary>
public sealed class Rollout
{
    public long Id { get; set; }
    public string ReleaseId { get; set; } = "";
    public string State { get; set; } = "";
    public string? FilterHardwareId { get; set; }
    public string? FilterMinVersion { get; set; }
    public string? FilterMaxVersion { get; set; }
    public string? FilterSerials { get; set; }
    public string Plan { get; set; } = "";
    public long CurrentGroup { get; set; }
    public long? GroupStartedAt { get; set; }
    public long SuccessPermille { get; set; }
    public long ErrorCount { get; set; }
    public long ErrorPermille { get; set; }
    public long SoakDays { get; set; }
    public long MaxGroupDays { get; set; }
    public long MaxAttempts { get; set; }
    public long ErrorsAcknowledged { get; set; }
    public string CreatedBy { get; set; } = "";
    public string? ApprovedBy { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public string? PauseReason { get; set; }

    public TargetFilter Filter => new(FilterHardwareId, FilterMinVersion, FilterMaxVersion, FilterSerials == null ? null : TargetFilter.SplitSerials(FilterSerials));

    public GroupPlan Groups => GroupPlan.Parse(Plan);
}
