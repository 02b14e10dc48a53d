using System;
using System.Collections.Generic;
using System.Linq;
using SmartKey.OtaServer.Rollouts;

namespace SmartKey.OtaServer.Devices;

/// <summary>
/// Everything the server holds about one lock: the factory record that admitted it, the four kinds of data
/// the lock reports (firmware version, battery, error codes, last seen) now and in the telemetry history,
/// and its rollout actions. Nothing else is stored about a lock, so nothing else can be exported.
/// </summary>
public sealed record DeviceExport(
    string Format,
    string Serial,
    DeviceExport.Manufacturing Admission,
    string? Firmware,
    DeviceExport.Battery? BatteryNow,
    IReadOnlyDictionary<string, long> Errors,
    string? LastSeenAt,
    IReadOnlyList<DeviceExport.Report> Telemetry,
    IReadOnlyList<DeviceExport.Action> Actions)
{
    public const string FormatName = "smartkey-ota-server-device-export/1";

    public sealed record Manufacturing(string HardwareId, string CertificateSha256, string[] OtaTrustKeyIds, string IssuedAt, string AdmittedAt);

    public sealed record Battery(string State, long Percent, long Millivolts);

    public sealed record Report(string ReceivedAt, string Firmware, Battery Battery, IReadOnlyDictionary<string, long> Errors);

    public sealed record Action(long RolloutId, long Group, string State, long Attempts, long Failures, string? LastStatus, long LastError, long Progress, string UpdatedAt);

    public static DeviceExport From(Device d, IEnumerable<DeviceService.TelemetryEntry> telemetry, IEnumerable<DeviceAction> actions) => new(
        FormatName,
        d.Serial,
        new Manufacturing(d.HardwareId, d.CertificateSha256, d.TrustKeyIds.Split(',', StringSplitOptions.RemoveEmptyEntries), d.IssuedAt, Iso(d.AdmittedAt)),
        d.Firmware,
        d.BatteryState == null ? null : new Battery(d.BatteryState, d.BatteryPercent ?? 0, d.BatteryMillivolts ?? 0),
        ParseErrors(d.Errors),
        d.LastSeenAt == null ? null : Iso(d.LastSeenAt.Value),
        telemetry.Select(t => new Report(Iso(t.ReceivedAt), t.Firmware, new Battery(t.BatteryState, t.BatteryPercent, t.BatteryMillivolts), ParseErrors(t.Errors))).ToList(),
        actions.Select(a => new Action(a.RolloutId, a.GroupIndex, a.State, a.Attempts, a.Failures, a.LastStatus, a.LastError, a.Progress, Iso(a.UpdatedAt))).ToList());

    public static IReadOnlyDictionary<string, long> ParseErrors(string? text)
    {
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text)) return errors;
        foreach (string pair in text.Split(','))
        {
            int colon = pair.IndexOf(':');
            errors[pair[..colon]] = long.Parse(pair[(colon + 1)..]);
        }

        return errors;
    }

    private static string Iso(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("O");
}
