using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace SmartKey.OtaServer.Hosting;

/// <summary>
/// Why `serve` could not start, as the one line an operator reads (never a stack trace): the API's address taken by
/// another program, the broker not reachable, or the message of a bad setting (a trust key, a TLS file, the database).
/// </summary>
public static class StartFailure
{
    /// <summary>The line to print, or null when the exception is a defect rather than a setting or the machine.</summary>
    public static string? Describe(Exception e, ServerOptions options)
    {
        if (Find<Microsoft.AspNetCore.Connections.AddressInUseException>(e) != null)
            return $"the API's address {options.Urls} is in use by another program: stop it, or give the server another port with --urls (e.g. --urls http://127.0.0.1:5081)";
        if (Find<MQTTnet.Exceptions.MqttCommunicationException>(e) is { } mqtt)
        {
            string why = Find<SocketException>(mqtt)?.Message ?? mqtt.InnerException?.Message ?? mqtt.Message;
            return $"cannot reach the broker at {options.MqttHost}:{options.MqttPort} ({why}): start it, or name it with --mqtt-host and --mqtt-port";
        }

        if (e is SocketException socket)
            return $"cannot reach the broker at {options.MqttHost}:{options.MqttPort} ({socket.Message}): start it, or name it with --mqtt-host and --mqtt-port";
        return e is IOException or ArgumentException or FormatException or InvalidOperationException or CryptographicException or UnauthorizedAccessException ? e.Message : null;
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e != null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }
}
