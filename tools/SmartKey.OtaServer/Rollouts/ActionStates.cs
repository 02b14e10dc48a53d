namespace SmartKey.OtaServer.Rollouts;

/// <summary>
/// A device action's states. pending → offered (an attempt: the retained offer is published) → downloading →
/// testing → confirmed; a failed or reverted attempt → retry (offered again) or, at the attempt cap, failed.
/// offered → pending when a pause withdraws the offer; anything not final → cancelled with the rollout.
/// </summary>
public static class ActionStates
{
    public const string Pending = "pending";
    public const string Offered = "offered";
    public const string Downloading = "downloading";
    public const string Testing = "testing";
    public const string Confirmed = "confirmed";
    public const string Retry = "retry";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>The lock has taken the offer and is working on it.</summary>
    public static bool InFlight(string s) => s is Offered or Downloading or Testing;

    public static bool Final(string s) => s is Confirmed or Failed or Cancelled;

    public static bool WaitingForOffer(string s) => s is Pending or Retry;
}
