using System;
using System.Linq;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace SmartKey.OtaServer.Auth;

/// <summary>
/// The authenticated operator as the services see it: the subject (the provider's "sub", or the local account's
/// name) is the actor written into rollouts and the audit, so four-eyes approval compares subjects, not names.
/// </summary>
public static class OperatorIdentity
{
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    public static ClaimsPrincipal Local(OperatorAccounts.Account account, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, SubjectClaim, RoleClaim);
        identity.AddClaim(new Claim(SubjectClaim, account.Name));
        foreach (string role in account.Roles) identity.AddClaim(new Claim(RoleClaim, role));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>A copy of a provider's principal with only what the server uses (subject, roles), for the page's session cookie.</summary>
    public static ClaimsPrincipal Session(ClaimsPrincipal from, string roleClaim, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, SubjectClaim, RoleClaim);
        identity.AddClaim(new Claim(SubjectClaim, Subject(from)));
        foreach (var c in from.Claims.Where(c => c.Type == roleClaim || c.Type == RoleClaim).Select(c => c.Value).Distinct()) identity.AddClaim(new Claim(RoleClaim, c));
        return new ClaimsPrincipal(identity);
    }

    public static string Subject(ClaimsPrincipal user) =>
        user.FindFirst(SubjectClaim)?.Value ?? throw new InvalidOperationException("an authenticated operator without a subject");

    public static bool Holds(ClaimsPrincipal user, string role) => user.Identities.Any(i => i.HasClaim(i.RoleClaimType, role) || i.HasClaim(RoleClaim, role));

    /// <summary>The first of the roles an endpoint accepts that the operator holds: the role the call is made in.</summary>
    public static string? RoleUsed(ClaimsPrincipal user, string[] accepted) => accepted.FirstOrDefault(r => Holds(user, r));

    public static string? BearerToken(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header == null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        string token = header["Bearer ".Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
