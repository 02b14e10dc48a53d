using System;
using System.Globalization;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace SmartKey.OtaServer.Auth;

/// <summary>
/// Guessing is slowed per client address: each refused credential (a bearer token answered 401, a failed sign-in
/// on the status page) takes a permit from that address's fixed window; with none left, any request carrying a
/// credential from there gets 429 until the window ends (AuthOptions.FailureLimit, FailureWindow). Requests without a credential cost nothing (they are
/// answered 401 without looking anything up).
/// </summary>
public sealed class FailedCredentialLimit : IDisposable
{
    /// <summary>Set by the sign-in form when it refuses a token or password.</summary>
    public const string FailedSignIn = "smartkey.failed-sign-in";

    private readonly PartitionedRateLimiter<string> _limiter;

    private readonly int _retryAfterSeconds;

    public FailedCredentialLimit(int limit, TimeSpan window)
    {
        _retryAfterSeconds = (int)Math.Ceiling(window.TotalSeconds);
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit), Window = window, QueueLimit = 0, AutoReplenishment = true,
        }));
    }

    public async Task Guard(HttpContext context, Func<Task> next)
    {
        string address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        bool credential = context.Request.Headers.Authorization.Count > 0 || IsSignIn(context.Request);
        if (credential && (_limiter.GetStatistics(address)?.CurrentAvailablePermits ?? 1) <= 0)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = _retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return;
        }

        await next();
        if (credential && (context.Response.StatusCode == StatusCodes.Status401Unauthorized || context.Items.ContainsKey(FailedSignIn)))
            _limiter.AttemptAcquire(address).Dispose();
    }

    private static bool IsSignIn(HttpRequest request) => HttpMethods.IsPost(request.Method) && request.Path.Equals("/status/signin", StringComparison.Ordinal);

    public void Dispose() => _limiter.Dispose();
}
