using System;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Rollouts;

namespace SmartKey.OtaServer.StatusPage;

/// <summary>The page's buttons: which a rollout's state offers, and which roles may press each (the same as the API's).</summary>
public static class RolloutActions
{
    /// <summary>The buttons each state offers (the service still decides: a stale page gets its refusal).</summary>
    public static string[] For(string state) => state switch
    {
        RolloutStates.Created => new[] { "approve", "cancel" },
        RolloutStates.Approved => new[] { "start", "cancel" },
        RolloutStates.Running => new[] { "pause", "cancel" },
        RolloutStates.Paused => new[] { "resume", "cancel" },
        _ => Array.Empty<string>(),
    };

    public static string[] RolesFor(string action) => action switch
    {
        "approve" => new[] { Roles.Approver },
        "start" => new[] { Roles.ReleaseManager, Roles.Approver },
        "pause" or "resume" or "cancel" => new[] { Roles.ReleaseManager },
        _ => Array.Empty<string>(),
    };
}
