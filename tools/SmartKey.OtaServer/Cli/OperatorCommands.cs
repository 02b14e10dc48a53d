using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Cli;

/// <summary>
/// `operator add|revoke|list`: the server's own accounts. Through the API as an admin, or with --db straight on
/// the database (how the first admin is made, on the server's machine). `add` prints the token once.
/// </summary>
public static class OperatorCommands
{
    /// <summary>The audit's actor for changes made with --db: whoever can open the database file.</summary>
    public const string ConsoleActor = "console";

    public delegate int ApiCall(ParseResult p, Func<OperatorClient, (int status, string body)> request, Func<string, string>? describe);

    public static Command Build(TextWriter output, TextWriter error, ApiCall call)
    {
        var command = new Command("operator", "operator accounts the server keeps itself (local tokens)");
        var db = new Option<string>("--db") { Description = "act on this database directly (SQLite file or PostgreSQL connection string) instead of the API", Recursive = true };
        command.Options.Add(db);

        var name = new Argument<string>("name");
        var role = new Option<string[]>("--role") { Description = "viewer, release-manager, approver, privacy-officer or admin (repeat)", Required = true, AllowMultipleArgumentsPerToken = true };
        var days = new Option<int?>("--days") { Description = "days the token is valid (default 90)" };
        var add = new Command("add", "add an account and print its token (shown only this once)") { name, role, days };
        add.SetAction(p =>
        {
            string who = p.GetValue(name)!;
            string[] roles = p.GetValue(role)!;
            int valid = p.GetValue(days) ?? 90;
            if (p.GetValue(db) is { } setting)
                return Direct(error, setting, accounts => output.WriteLine(Issued(who, accounts.Add(who, roles, valid, ConsoleActor))));
            return call(p, c => c.Json(HttpMethod.Post, "/api/operators", new { name = who, roles, days = valid }),
                body => Issued(who, JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!));
        });
        command.Subcommands.Add(add);

        var revokeName = new Argument<string>("name");
        var revoke = new Command("revoke", "refuse the account's token from now on") { revokeName };
        revoke.SetAction(p =>
        {
            string who = p.GetValue(revokeName)!;
            if (p.GetValue(db) is { } setting) return Direct(error, setting, accounts => { accounts.Revoke(who, ConsoleActor); output.WriteLine("revoked " + who); });
            return call(p, c => c.Send(HttpMethod.Delete, "/api/operators/" + Uri.EscapeDataString(who)), _ => "revoked " + who);
        });
        command.Subcommands.Add(revoke);

        var list = new Command("list", "every account: roles, expiry, revoked (never a token)");
        list.SetAction(p =>
        {
            if (p.GetValue(db) is { } setting)
                return Direct(error, setting, accounts => output.WriteLine(JsonSerializer.Serialize(accounts.List(), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true })));
            return call(p, c => c.Send(HttpMethod.Get, "/api/operators"), null);
        });
        command.Subcommands.Add(list);
        return command;
    }

    private static string Issued(string name, string token) => $"token for {name} (shown only now; the server keeps its hash):\n{token}";

    private static int Direct(TextWriter error, string setting, Action<OperatorAccounts> work)
    {
        try
        {
            var database = Database.Open(setting);
            database.Migrate(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            work(new OperatorAccounts(database, TimeProvider.System));
            return 0;
        }
        catch (OperationException e)
        {
            error.WriteLine($"error ({e.Status}): {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or IOException or System.Data.Common.DbException)
        {
            error.WriteLine("error: " + e.Message);
            return 2;
        }
    }
}
