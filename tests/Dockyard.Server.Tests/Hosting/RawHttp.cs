using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// Sends one HTTP/1.1 request whose request line is written byte for byte over a socket. HttpClient (System.Uri)
/// removes dot segments and unescapes <c>%2e</c> before sending, so tests of what the server does with the raw
/// target must not use it.
/// </summary>
public static class RawHttp
{
    /// <summary>A response: status and body as text.</summary>
    public sealed record Response(HttpStatusCode Status, string Body);

    public static Task<Response> SendAsync(Uri server, string method, string target) => SendAsync(server, method, target, null, string.Empty);

    /// <summary>A request without a body, with extra header lines (e.g. Authorization).</summary>
    public static Task<Response> SendAsync(Uri server, string method, string target, IReadOnlyList<(string Name, string Value)> headers) =>
        SendAsync(server, method, target, null, string.Empty, headers);

    /// <summary>A request with a body sent byte for byte as given (HttpClient would not send a malformed one as written).</summary>
    public static Task<Response> SendAsync(Uri server, string method, string target, string? contentType, string body) =>
        SendAsync(server, method, target, contentType, body, []);

    private static async Task<Response> SendAsync(Uri server, string method, string target, string? contentType, string body, IReadOnlyList<(string Name, string Value)> headers)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var bytes = Encoding.UTF8.GetBytes(body);
        var type = contentType is null ? string.Empty : $"Content-Type: {contentType}\r\n";
        type += string.Concat(headers.Select(h => $"{h.Name}: {h.Value}\r\n"));
        var request = $"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\n{type}Content-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        await stream.WriteAsync(bytes);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var statusLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
        var status = (HttpStatusCode)int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        return new Response(status, text[bodyStart..]);
    }
}
