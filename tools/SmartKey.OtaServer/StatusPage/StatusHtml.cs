using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using SmartKey.OtaServer.Rollouts;

namespace SmartKey.OtaServer.StatusPage;

/// <summary>
/// The operator's status page as plain server-rendered HTML: no script, no external stylesheet, font or image,
/// so it works from an isolated operations network. Every value is HTML-encoded.
/// </summary>
public static class StatusHtml
{
    private const string Style = "body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:.5em 0}" +
        "td,th{border:1px solid #bbb;padding:.2em .6em;text-align:left}section{margin-bottom:2em}.error{color:#a00;font-weight:bold}" +
        ".done{color:#060}.paused{color:#a60}form{display:inline}button{margin-right:.3em}";

    /// <summary>Who is looking: the subject, and which buttons their roles allow; Antiforgery is the token every form carries.</summary>
    public sealed record Viewer(string Subject, Func<string, bool> MayPress, string Antiforgery);

    public static string Render(FleetOverview fleet, RolloutService.Status[] rollouts, string? message, bool messageIsError, Viewer viewer)
    {
        var h = new StringBuilder(8192);
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SmartKey OTA status</title><style>").Append(Style).Append("</style></head><body>");
        h.Append("<h1>SmartKey OTA status</h1>");
        h.Append("<p id=\"signed-in\">Signed in as <b id=\"subject\">").Append(E(viewer.Subject)).Append("</b> <form method=\"post\" action=\"/status/signout\">");
        Antiforgery(h, viewer.Antiforgery);
        h.Append("<button type=\"submit\" id=\"signout\">Sign out</button></form></p>");
        if (message != null) h.Append("<p role=\"alert\" id=\"message\" class=\"").Append(messageIsError ? "error" : "done").Append("\">").Append(E(message)).Append("</p>");

        h.Append("<section id=\"fleet\"><h2>Fleet: ").Append(fleet.Locks).Append(" locks</h2>");
        Table(h, "versions", "Firmware version", fleet.Versions.Select(v => (v.version, v.locks.ToString())));
        Table(h, "batteries", "Battery state", fleet.Batteries.Select(b => (b.state, b.locks.ToString())));
        if (fleet.ErrorsLastDay.Count == 0) h.Append("<p id=\"errors\">No error codes reported in the last day.</p>");
        else Table(h, "errors", "Error code (last day)", fleet.ErrorsLastDay.Select(e => (e.code.ToString(), e.count.ToString())), "reports");
        h.Append("</section>");

        h.Append("<section id=\"rollouts\"><h2>Rollouts</h2>");
        if (rollouts.Length == 0) h.Append("<p>No rollouts.</p>");
        foreach (var s in rollouts) Rollout(h, s, viewer);
        h.Append("</section></body></html>");
        return h.ToString();
    }

    private static void Rollout(StringBuilder h, RolloutService.Status s, Viewer viewer)
    {
        var r = s.Rollout;
        h.Append("<article id=\"rollout-").Append(r.Id).Append("\"><h3>Rollout ").Append(r.Id).Append(": release ").Append(E(s.Release.Version))
            .Append(" — <span class=\"state ").Append(E(r.State)).Append("\">").Append(E(r.State)).Append("</span></h3>");
        h.Append("<p>Created by ").Append(E(r.CreatedBy)).Append(r.ApprovedBy != null ? ", approved by " + E(r.ApprovedBy) : ", not approved yet")
            .Append(". Thresholds: success ≥ ").Append(r.SuccessPermille / 10.0).Append(" % confirmed; pause at ")
            .Append(r.ErrorCount > 0 ? r.ErrorCount + " failed or reverted" : "").Append(r.ErrorCount > 0 && r.ErrorPermille > 0 ? " or " : "")
            .Append(r.ErrorPermille > 0 ? r.ErrorPermille / 10.0 + " % failed or reverted" : "").Append(r.ErrorCount == 0 && r.ErrorPermille == 0 ? "the first failure" : "")
            .Append("; soak ").Append(r.SoakDays).Append(" days; at most ").Append(r.MaxAttempts).Append(" attempts per lock.</p>");
        if (r.State == RolloutStates.Paused && r.PauseReason != null) h.Append("<p class=\"paused\" id=\"pause-reason-").Append(r.Id).Append("\">Paused: ").Append(E(r.PauseReason)).Append("</p>");

        h.Append("<table><tr><th>Group</th><th>Locks</th><th>Confirmed</th><th>In progress</th><th>Failed</th><th>Errors</th></tr>");
        foreach (var g in s.Groups)
        {
            int confirmed = g.States.GetValueOrDefault(ActionStates.Confirmed);
            int failed = g.States.GetValueOrDefault(ActionStates.Failed);
            int cancelled = g.States.GetValueOrDefault(ActionStates.Cancelled);
            string current = g.Index == r.CurrentGroup && r.State is RolloutStates.Running or RolloutStates.Paused ? " (current)" : "";
            h.Append("<tr><td>").Append(E(g.Name)).Append(current).Append("</td><td>").Append(g.Members).Append("</td><td>").Append(confirmed)
                .Append(g.Members > 0 ? $" ({100.0 * confirmed / g.Members:0.#} %)" : "").Append("</td><td>").Append(g.Members - confirmed - failed - cancelled)
                .Append("</td><td>").Append(failed).Append("</td><td>").Append(g.Errors).Append("</td></tr>");
        }

        h.Append("</table>");
        var actions = RolloutActions.For(r.State).Where(viewer.MayPress).ToArray();
        if (actions.Length == 0)
        {
            h.Append("</article>");
            return;
        }

        h.Append("<form method=\"post\" action=\"/status/rollouts/").Append(r.Id).Append("\">");
        Antiforgery(h, viewer.Antiforgery);
        foreach (var action in actions)
            h.Append("<button type=\"submit\" name=\"action\" value=\"").Append(action).Append("\" id=\"").Append(action).Append('-').Append(r.Id).Append("\">")
                .Append(char.ToUpperInvariant(action[0])).Append(action[1..]).Append("</button>");
        h.Append("</form></article>");
    }

    /// <summary>The sign-in page: a local account's token, and the provider's sign-in when one is configured.</summary>
    public static string SignIn(string? message, bool provider, bool local, string antiforgery)
    {
        var h = new StringBuilder(2048);
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in: SmartKey OTA status</title><style>").Append(Style).Append("</style></head><body>");
        h.Append("<h1>SmartKey OTA status: sign in</h1>");
        if (message != null) h.Append("<p role=\"alert\" id=\"message\" class=\"error\">").Append(E(message)).Append("</p>");
        if (provider) h.Append("<p><a id=\"provider\" href=\"/status/signin/provider\">Sign in with your organisation's account</a></p>");
        if (local)
        {
            h.Append("<form method=\"post\" action=\"/status/signin\" id=\"local\">");
            Antiforgery(h, antiforgery);
            h.Append("<label>Operator token <input type=\"password\" name=\"token\" id=\"token\" required autocomplete=\"current-password\"></label> ")
                .Append("<button type=\"submit\" id=\"signin\">Sign in</button></form>");
        }

        h.Append("</body></html>");
        return h.ToString();
    }

    private static void Antiforgery(StringBuilder h, string token) =>
        h.Append("<input type=\"hidden\" name=\"__antiforgery\" value=\"").Append(E(token)).Append("\">");

    private static void Table(StringBuilder h, string id, string what, System.Collections.Generic.IEnumerable<(string key, string value)> rows, string unit = "locks")
    {
        h.Append("<table id=\"").Append(id).Append("\"><tr><th>").Append(E(what)).Append("</th><th>").Append(unit).Append("</th></tr>");
        foreach (var (key, value) in rows) h.Append("<tr><td>").Append(E(key)).Append("</td><td>").Append(E(value)).Append("</td></tr>");
        h.Append("</table>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
