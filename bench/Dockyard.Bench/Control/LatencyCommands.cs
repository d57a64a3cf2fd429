using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dockyard.Bench.Control;

/// <summary>Request latency of JSON API calls (Bearer) and of UI pages (signed-in cookie session), one request at a time.</summary>
internal static partial class LatencyCommands
{
    /// <summary>
    /// api-latency BASE TOKEN N WARMUP RAWPREFIX PATH...: for each PATH, WARMUP untimed then N timed GETs (to the
    /// last byte). Every answer must be 2xx JSON. One line per path: "path=… items=… ms_p50=… ms_p99=…"; raw times
    /// go to RAWPREFIX-&lt;i&gt;.txt.
    /// </summary>
    public static async Task<int> ApiAsync(string baseUrl, string token, int count, int warmup, string rawPrefix, string[] paths)
    {
        using var client = ControlHttp.Client(baseUrl, token, 1);
        for (var p = 0; p < paths.Length; p++)
        {
            var path = paths[p];
            var times = new List<double>(count);
            var items = -1;
            for (var i = 0; i < warmup + count; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
                var body = await response.Content.ReadAsByteArrayAsync();
                var elapsed = watch.Elapsed.TotalMilliseconds;
                await ControlHttp.EnsureAsync(response, "GET " + path);
                if (i == 0)
                {
                    using var json = JsonDocument.Parse(body);
                    items = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array
                        ? list.GetArrayLength()
                        : json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.GetArrayLength() : -1;
                }

                if (i >= warmup)
                {
                    times.Add(elapsed);
                }
            }

            Figures.WriteRaw($"{rawPrefix}-{p}.txt", times);
            Console.WriteLine($"path={path} items={items} {Figures.Summary("ms", times)}");
        }

        return 0;
    }

    /// <summary>
    /// page-latency BASE USER PASSWORD N WARMUP RAWPREFIX PATH...: signs in through the login form, then as
    /// <see cref="ApiAsync"/> for UI pages (200 text/html required; a redirect means the session did not hold).
    /// </summary>
    public static async Task<int> PageAsync(string baseUrl, string user, string password, int count, int warmup, string rawPrefix, string[] paths)
    {
        using var client = await SignInAsync(baseUrl, user, password);
        for (var p = 0; p < paths.Length; p++)
        {
            var path = paths[p];
            var times = new List<double>(count);
            long bytes = 0;
            for (var i = 0; i < warmup + count; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
                var body = await response.Content.ReadAsByteArrayAsync();
                var elapsed = watch.Elapsed.TotalMilliseconds;
                if ((int)response.StatusCode is >= 300 and < 400)
                {
                    throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} → {response.Headers.Location} (session lost?)");
                }

                await ControlHttp.EnsureAsync(response, "GET " + path);

                if (response.Content.Headers.ContentType?.MediaType != "text/html")
                {
                    throw new InvalidOperationException($"GET {path} answered {response.Content.Headers.ContentType}, not text/html");
                }

                bytes = body.Length;
                if (i >= warmup)
                {
                    times.Add(elapsed);
                }
            }

            Figures.WriteRaw($"{rawPrefix}-{p}.txt", times);
            Console.WriteLine($"path={path} bytes={bytes} {Figures.Summary("ms", times)}");
        }

        return 0;
    }

    /// <summary>The login form as a browser posts it (as tests/…/Ui/UiHttpSession does).</summary>
    private static async Task<HttpClient> SignInAsync(string baseUrl, string user, string password)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseProxy = false, MaxConnectionsPerServer = 1 })
        { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        var login = await client.GetStringAsync("/login");
        var token = CsrfToken().Match(login).Groups[1].Value;
        using var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__csrf"] = token,
            ["Form.Username"] = user,
            ["Form.Password"] = password,
        }));
        if (response.StatusCode != HttpStatusCode.Found)
        {
            client.Dispose();
            throw new InvalidOperationException($"UI sign-in as {user} answered {(int)response.StatusCode}");
        }

        return client;
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
