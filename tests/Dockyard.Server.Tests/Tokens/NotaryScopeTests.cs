using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Dockyard.Server.Tests.Tokens;

/// <summary>
/// /auth/token for notary GUN scopes (<c>repository:HOST[:PORT]/REPO:ACTIONS</c>), sent as raw requests so the Host
/// header and the query are exactly as written: one of our hosts in front is authorized as the repository and granted
/// under the name as requested, marked <c>dky_gun</c> so /v2 never honors it; any other host is granted nothing; names
/// that are not host + repository are malformed. Also the token header's <c>x5c</c> chain.
/// </summary>
public sealed class NotaryScopeTests : IAsyncLifetime
{
    private AuthTestServer _server = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        _server = await AuthTestServer.StartAsync();
        _base = _server.Server.BaseAddress;
        await _server.Seed.UserAsync("alice", "alice-password");
        await _server.Seed.UserAsync("bob", "bob-password");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Own => $"127.0.0.1:{_base.Port}";

    [Fact]
    public async Task Own_host_prefix_is_authorized_as_the_repository_and_granted_under_the_requested_name()
    {
        var (status, claims, _) = await TokenAsync("alice", $"repository:{Own}/alice/app:push,pull", Own);
        Assert.Equal(HttpStatusCode.OK, status);
        var access = Assert.Single(claims.GetProperty("access").EnumerateArray());
        Assert.Equal($"{Own}/alice/app", access.GetProperty("name").GetString());
        Assert.Equal(["pull", "push"], access.GetProperty("actions").EnumerateArray().Select(a => a.GetString()).Order());
        Assert.Equal($"{Own}/alice/app", Assert.Single(claims.GetProperty("dky_gun").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Without_rights_on_the_repository_nothing_is_granted()
    {
        var (status, claims, _) = await TokenAsync("bob", $"repository:{Own}/alice/app:push,pull", Own);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(claims.GetProperty("access").EnumerateArray());
    }

    [Theory]
    [InlineData("127.0.0.1:{port}", "localhost:{port}")] // the public URL's host counts whatever Host the client sent
    [InlineData("localhost:{port}", "localhost:{port}")] // the Host the client used
    [InlineData("LOCALHOST:{port}", "localhost:{port}")] // hosts compare case-insensitively
    [InlineData("[::1]:{port}", "[::1]:{port}")]
    [InlineData("[0:0::1]:{port}", "[::1]:{port}")]
    [InlineData("localhost", "localhost")] // no port: also a valid repository name, granted for notary only
    public async Task Our_hosts_are_granted(string prefix, string hostHeader)
    {
        var name = $"{Port(prefix)}/alice/app";
        var (status, claims, _) = await TokenAsync("alice", $"repository:{name}:pull", Port(hostHeader));
        Assert.Equal(HttpStatusCode.OK, status);
        var access = Assert.Single(claims.GetProperty("access").EnumerateArray());
        Assert.Equal(name, access.GetProperty("name").GetString());
        Assert.Equal(name, Assert.Single(claims.GetProperty("dky_gun").EnumerateArray()).GetString());
    }

    [Theory]
    [InlineData("127.0.0.1:1")] // another port
    [InlineData("127.0.0.1")] // our host without our port
    [InlineData("registry.example.com:{port}")]
    [InlineData("[::2]:{port}")]
    public async Task Other_hosts_are_granted_nothing(string prefix)
    {
        var (status, claims, _) = await TokenAsync("alice", $"repository:{Port(prefix)}/alice/app:push,pull", Own);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(claims.GetProperty("access").EnumerateArray());
    }

    [Theory]
    [InlineData("{port}/../alice/app")]
    [InlineData("{port}/alice/./app")]
    [InlineData("{port}/alice/../bob/app")]
    [InlineData("{port}//alice/app")]
    [InlineData("{port}/Alice/app")]
    [InlineData("{port}/alice/app/")]
    public async Task Malformed_repository_after_the_host_is_refused(string suffix)
    {
        var (status, _, body) = await TokenAsync("alice", $"repository:127.0.0.1:{Port(suffix)}:pull", Own);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("malformed or unsupported scope", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:0/alice/app")]
    [InlineData("127.0.0.1:65536/alice/app")]
    [InlineData("127.0.0.1:x/alice/app")]
    [InlineData("[::1/alice/app")]
    [InlineData("[zz]:5000/alice/app")]
    public async Task Malformed_hosts_are_refused(string name)
    {
        var (status, _, _) = await TokenAsync("alice", $"repository:{name}:pull", Own);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task A_notary_grant_is_never_honored_by_v2()
    {
        // "localhost/alice/app" is also a valid repository name: the token must not let its bearer push there.
        var (_, _, body) = await TokenAsync("alice", "repository:localhost/alice/app:push,pull", "localhost");
        var token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
        var (status, text) = await RawAsync("POST", "/v2/localhost/alice/app/blobs/uploads/", Own, $"Bearer {token}");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("DENIED", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_header_carries_the_key_chain_to_the_published_CA()
    {
        var (_, _, body) = await TokenAsync("alice", $"repository:{Own}/alice/app:pull", Own);
        var token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
        var parts = token.Split('.');
        using var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        var x5c = header.RootElement.GetProperty("x5c").EnumerateArray().Select(c => Convert.FromBase64String(c.GetString()!)).ToList();
        Assert.Equal(2, x5c.Count);
        Assert.True(header.RootElement.TryGetProperty("kid", out _));

        var (status, caPem) = await RawAsync("GET", "/api/v1/trust/token-ca", Own, null);
        Assert.Equal(HttpStatusCode.OK, status);
        using var ca = X509Certificate2.CreateFromPem(caPem);
        using var leaf = X509CertificateLoader.LoadCertificate(x5c[0]);
        Assert.Equal(ca.RawData, x5c[1]);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _server.Time.GetUtcNow().UtcDateTime;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        // The leaf's key is the one that signed the token.
        using var key = leaf.GetECDsaPublicKey()!;
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        // Go's x509 (notary-server) refuses negative serial numbers; SerialNumberBytes is big-endian.
        Assert.Equal(0, leaf.SerialNumberBytes.Span[0] & 0x80);
        Assert.Equal(0, ca.SerialNumberBytes.Span[0] & 0x80);
    }

    private string Port(string template) => template.Replace("{port}", _base.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>GET /auth/token with Basic credentials, the scope escaped as the docker CLI does, and the given Host header.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Claims, string Body)> TokenAsync(string user, string scope, string host)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{user}-password"));
        var (status, body) = await RawAsync("GET", $"/auth/token?service=dockyard&scope={Uri.EscapeDataString(scope)}", host, $"Basic {basic}");
        if (status != HttpStatusCode.OK)
        {
            return (status, default, body);
        }

        var token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
        return (status, JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement.Clone(), body);
    }

    private async Task<(HttpStatusCode Status, string Body)> RawAsync(string method, string target, string host, string? authorization)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_base.Host, _base.Port);
        await using var stream = client.GetStream();
        var auth = authorization is null ? string.Empty : $"Authorization: {authorization}\r\n";
        var request = $"{method} {target} HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var status = (HttpStatusCode)int.Parse(text.Split(' ')[1], CultureInfo.InvariantCulture);
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        if (text.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return (status, body);
    }

    private static string Dechunk(string chunked)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = int.Parse(chunked[position..lineEnd], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                break;
            }

            result.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }
}
