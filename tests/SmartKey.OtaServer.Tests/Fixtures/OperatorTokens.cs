using System;
using System.Net.Http;
using System.Net.Http.Headers;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>Local operator accounts for tests and benchmarks that call a running server's API (the server's own `operator add --db`).</summary>
public static class OperatorTokens
{
    /// <summary>A token for a new account on the server's database; with no roles given, the account holds every role.</summary>
    public static string Issue(string database, string name, params string[] roles)
    {
        var db = Database.Open(database);
        db.Migrate(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return new OperatorAccounts(db, TimeProvider.System).Add(name, roles.Length == 0 ? Roles.All : roles, 3650, "test");
    }

    /// <summary>An API client that sends the token as "Authorization: Bearer".</summary>
    public static HttpClient Client(Uri server, string token, TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
