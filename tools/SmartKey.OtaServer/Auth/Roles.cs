using System;
using System.Collections.Generic;
using System.Linq;

namespace SmartKey.OtaServer.Auth;

/// <summary>
/// What an operator may do (docs/ota-server.md "Roles"). Least privilege: no role includes another, except
/// that every role may read what a viewer reads.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string ReleaseManager = "release-manager";
    public const string Approver = "approver";
    public const string PrivacyOfficer = "privacy-officer";
    public const string Admin = "admin";

    public static readonly string[] All = { Viewer, ReleaseManager, Approver, PrivacyOfficer, Admin };

    /// <summary>Reads of releases, rollouts, counters and the status page.</summary>
    public static readonly string[] Readers = All;

    public static string Parse(string role) =>
        All.FirstOrDefault(r => string.Equals(r, role.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown role '{role}': one of {string.Join(", ", All)}");

    public static IReadOnlyList<string> ParseList(IEnumerable<string> roles)
    {
        var list = roles.Select(Parse).Distinct().ToList();
        if (list.Count == 0) throw new ArgumentException($"at least one role: {string.Join(", ", All)}");
        return list;
    }
}
