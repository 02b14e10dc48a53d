using System.Collections.Generic;

namespace SmartKey.OtaServer.Rollouts;

/// <summary>What an operator asks for when creating a rollout (API body, CLI options). Nulls take the defaults.</summary>
public sealed class RolloutRequest
{
    public string ReleaseId { get; set; } = "";
    public string? HardwareId { get; set; }
    public string? MinVersion { get; set; }
    public string? MaxVersion { get; set; }
    public List<string>? Serials { get; set; }
    public List<string>? Canary { get; set; }
    public List<int>? Percents { get; set; }
    /// <summary>Share of a group's locks that must confirm before the next group starts (default 90).</summary>
    public int? SuccessPercent { get; set; }
    /// <summary>Failed or reverted locks in a group that pause the rollout (0 = off; default 0).</summary>
    public int? ErrorCount { get; set; }
    /// <summary>Share of failed or reverted locks in a group that pauses the rollout (0 = off; default 5).</summary>
    public int? ErrorPercent { get; set; }
    /// <summary>Days a group runs at least before the next one starts (default 1).</summary>
    public int? SoakDays { get; set; }
    /// <summary>Days a group may take to reach its success threshold before the rollout pauses (default 14).</summary>
    public int? MaxGroupDays { get; set; }
    /// <summary>Offers per lock for this release before its action is final (default 3).</summary>
    public int? MaxAttempts { get; set; }
}
