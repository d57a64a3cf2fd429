using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Addressing;

/// <summary>
/// The address clients use to reach this registry, for everything that names it: the token realm in <c>/v2</c>
/// challenges and the <c>registry</c> field of signed webhook payloads. Never taken from a request (a client chooses
/// its Host header): <c>Dockyard:PublicUrl</c>, else the loopback address the server listens on (its real port once
/// it listens, so <c>--urls http://127.0.0.1:0</c> works).
/// </summary>
internal sealed class PublicUrl(IOptions<PublicUrlOptions> options, IServiceProvider services)
{
    private Resolved? _resolved;

    /// <summary>The public URL (<c>scheme://host[:port]</c>); null only before a server with a port-0 listen URL has started.</summary>
    public Uri? Url => Resolve()?.Url;

    /// <summary>host[:port] as clients write it in image references (no port when it is the scheme's default).</summary>
    public string? Authority => Resolve()?.Url.Authority;

    /// <summary>The token endpoint, <c>{public URL}/auth/token</c>, computed once.</summary>
    public string? TokenRealm => Resolve()?.TokenRealm;

    private Resolved? Resolve()
    {
        if (_resolved is { } resolved)
        {
            return resolved;
        }

        var url = FromConfiguration() ?? FromServer();
        if (url is null)
        {
            return null;
        }

        resolved = new Resolved(url, new Uri(url, "/auth/token").AbsoluteUri);
        _resolved = resolved;
        return resolved;
    }

    private Uri? FromConfiguration()
    {
        var value = options.Value;
        if (value.Configured is { Length: > 0 } configured)
        {
            return PublicUrlRules.TryParse(configured, out var url) ? url : null;
        }

        // A fixed loopback listen URL is known before the server starts (CLI verbs never start one).
        return value.ListenUrls.Count > 0
            && value.ListenUrls.All(PublicUrlRules.IsLoopback)
            && PublicUrlRules.TryParse(value.ListenUrls[0], out var listen)
            && listen.Port != 0
            ? listen
            : null;
    }

    private Uri? FromServer()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault(a => PublicUrlRules.IsLoopback(a) && !a.EndsWith(":0", StringComparison.Ordinal));
        return first is not null && PublicUrlRules.TryParse(first, out var url) ? url : null;
    }

    private sealed record Resolved(Uri Url, string TokenRealm);
}
