using System.Linq;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SmartKey.OtaServer.Auth;

/// <summary>Authenticates "Authorization: Bearer skop_…" against the server's own accounts. Never logs the token.</summary>
public sealed class LocalTokenHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string SchemeName = "local";

    private readonly OperatorAccounts _accounts;

    public LocalTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OperatorAccounts accounts)
        : base(options, logger, encoder) => _accounts = accounts;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = OperatorIdentity.BearerToken(Request);
        if (token == null) return Task.FromResult(AuthenticateResult.NoResult());
        var account = _accounts.Authenticate(token);
        if (account == null) return Task.FromResult(AuthenticateResult.Fail("unknown, expired or revoked operator token"));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(OperatorIdentity.Local(account, SchemeName), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
