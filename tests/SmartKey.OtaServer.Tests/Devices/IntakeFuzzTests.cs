using System;
using System.Linq;
using System.Text;
using System.Threading;
using CsCheck;
using SmartKey.OtaServer.Devices;
using Xunit;
using Xunit.Abstractions;

namespace SmartKey.OtaServer.Tests.Devices;

/// <summary>
/// The intake's two parsers (the path every telemetry and status message takes, FleetLink → DeviceService) under
/// byte-level mutations of valid messages, invalid UTF-8 among them: none may throw, whatever the bytes (a throw
/// used to leave the message unacknowledged and stall the broker's delivery). The normal run takes 20,000 inputs
/// per parser; the full run (issue 21: 200,000 each) is
/// <c>SMARTKEY_INTAKE_FUZZ=200000 dotnet test tests/SmartKey.OtaServer.Tests --filter FullyQualifiedName~IntakeFuzzTests</c>.
/// CsCheck prints the seed of a failing input (CsCheck_Seed replays it).
/// </summary>
public sealed class IntakeFuzzTests(ITestOutputHelper output)
{
    private static int Inputs => int.TryParse(Environment.GetEnvironmentVariable("SMARTKEY_INTAKE_FUZZ"), out int n) && n > 0 ? n : 20_000;

    private static readonly byte[][] Telemetry =
    {
        Encoding.UTF8.GetBytes("{\"serial\":\"SK-FZ-1\",\"firmware\":\"1.0.0\",\"battery\":{\"percent\":99,\"millivolts\":6383,\"state\":\"ok\"},\"errors\":{\"41\":1,\"22\":3}}"),
        Encoding.UTF8.GetBytes("{\"serial\":\"SK-FZ-1\",\"firmware\":\"1.2.10\",\"battery\":{\"percent\":5,\"millivolts\":4100,\"state\":\"critical\"}}"),
        Encoding.UTF8.GetBytes("{\"serial\":\"SK-FZ-1\",\"firmware\":\"1.0.0\",\"battery\":{\"percent\":50,\"millivolts\":5000,\"state\":\"low\",\"x\":[1,{\"y\":\"\\u00e9\"}]},\"errors\":{},\"owner\":\"\\ud83d\\ude00\"}"),
    };

    private static readonly byte[][] Status =
    {
        Encoding.UTF8.GetBytes("{\"state\":\"downloading\",\"error\":0,\"offset\":40960,\"size\":1048793}"),
        Encoding.UTF8.GetBytes("{\"state\":\"failed\",\"error\":15,\"offset\":0,\"size\":0,\"extra\":\"\\u00ff\"}"),
    };

    /// <summary>One change of a valid message; two may be stacked. Invalid UTF-8 is one of the kinds.</summary>
    private static readonly Gen<(int kind, int at, byte value, byte[] bytes)> Change =
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, 4095], Gen.Byte, Gen.Byte.Array[1, 6], (k, a, v, b) => (k, a, v, b));

    private static readonly byte[][] InvalidUtf8 =
    {
        new byte[] { 0xFF }, new byte[] { 0x80 }, new byte[] { 0xC3 }, new byte[] { 0xE2, 0x82 }, new byte[] { 0xED, 0xA0, 0x80 }, new byte[] { 0xF4, 0x90, 0x80, 0x80 },
        new byte[] { 0xC0, 0xAF }, new byte[] { 0xF8, 0x88, 0x80, 0x80, 0x80 },
    };

    private static byte[] Mutate(byte[] valid, (int kind, int at, byte value, byte[] bytes)[] changes)
    {
        var m = valid.ToList();
        foreach (var (kind, at, value, bytes) in changes)
        {
            int i = m.Count == 0 ? 0 : at % (m.Count + 1);
            int within = m.Count == 0 ? 0 : at % m.Count;
            switch (kind)
            {
                case 0: if (m.Count > 0) m[within] ^= (byte)(1 << (value & 7)); break;
                case 1: if (m.Count > 0) m[within] = value; break;
                case 2: m.InsertRange(i, bytes); break;
                case 3: if (i < m.Count) m.RemoveRange(i, Math.Min(bytes.Length, m.Count - i)); break;
                case 4: m = m.Take(i).ToList(); break;
                default:
                    // Invalid UTF-8 where it hurts most: inside a string (after a quote), or replacing a byte.
                    var bad = InvalidUtf8[value % InvalidUtf8.Length];
                    int quote = m.IndexOf((byte)'"', within);
                    m.InsertRange(quote >= 0 ? quote + 1 : i, bad);
                    break;
            }
        }

        return m.ToArray();
    }

    private int Fuzz(byte[][] valid, Action<byte[]> parse)
    {
        int inputs = 0;
        Gen.Select(Gen.Int[0, valid.Length - 1], Change.Array[1, 2]).Sample((which, changes) =>
        {
            parse(Mutate(valid[which], changes));          // an exception fails the sample, and CsCheck shrinks it
            Interlocked.Increment(ref inputs);
        }, iter: Inputs);
        return inputs;
    }

    [Fact]
    public void The_telemetry_parser_throws_for_no_input()
    {
        int malformed = 0;
        int inputs = Fuzz(Telemetry, m => { if (TelemetryMessage.TryParse("SK-FZ-1", m) == null) Interlocked.Increment(ref malformed); });
        output.WriteLine($"telemetry: {inputs} inputs, 0 exceptions, {malformed} refused as malformed");
        Assert.Equal(Inputs, inputs);
        Assert.InRange(malformed, 1, inputs - 1);              // the mutations reach both outcomes
    }

    [Fact]
    public void The_status_parser_throws_for_no_input()
    {
        int malformed = 0;
        int inputs = Fuzz(Status, m => { if (StatusMessage.TryParse(m) == null) Interlocked.Increment(ref malformed); });
        output.WriteLine($"status: {inputs} inputs, 0 exceptions, {malformed} refused as malformed");
        Assert.Equal(Inputs, inputs);
        Assert.InRange(malformed, 1, inputs - 1);
    }

    [Fact]
    public void Invalid_utf8_inside_a_json_string_is_malformed_not_an_exception()
    {
        var telemetry = Encoding.UTF8.GetBytes("{\"serial\":\"SK-FZ-1\",\"firmware\":\"1.0.0#\",\"battery\":{\"percent\":1,\"millivolts\":1,\"state\":\"ok\"}}");
        telemetry[Array.IndexOf(telemetry, (byte)'#')] = 0xFF;
        var status = Encoding.UTF8.GetBytes("{\"state\":\"idle\",\"#\":0,\"error\":0,\"offset\":0,\"size\":0}");
        status[Array.IndexOf(status, (byte)'#')] = 0x80;                 // in a property name
        Assert.Null(TelemetryMessage.TryParse("SK-FZ-1", telemetry));
        Assert.Null(StatusMessage.TryParse(status));
    }
}
