using System.Net;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Tests.Ui;

/// <summary>A plain HttpClient signed in to the UI through the login form (for measurements without a browser).</summary>
internal static partial class UiHttpSession
{
    public static async Task<HttpClient> SignInAsync(Uri baseAddress, string username, string password)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var login = await client.GetStringAsync("/login");
        var token = CsrfToken().Match(login).Groups[1].Value;
        using var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__csrf"] = token,
            ["Form.Username"] = username,
            ["Form.Password"] = password,
        }));
        if (response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Sign-in as {username} answered {(int)response.StatusCode}.");
        }

        return client;
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
