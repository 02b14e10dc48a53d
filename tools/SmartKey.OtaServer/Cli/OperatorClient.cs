using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SmartKey.OtaServer.Cli;

/// <summary>The CLI's side of the REST API: one request with the operator's bearer token, the status and the JSON body.</summary>
public sealed class OperatorClient : IDisposable
{
    private readonly HttpClient _http;

    public OperatorClient(Uri server, string? token)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        if (token != null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public (int status, string body) Send(HttpMethod method, string path, byte[]? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body != null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = _http.Send(request);
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return ((int)response.StatusCode, text);
    }

    public (int status, string body) Json(HttpMethod method, string path, object value) =>
        Send(method, path, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, new JsonSerializerOptions(JsonSerializerDefaults.Web))));

    public void Dispose() => _http.Dispose();
}
