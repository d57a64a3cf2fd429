using System.Security.Claims;

namespace Dockyard.Server.Access;

/// <summary>
/// The identity the authentication handler puts on <c>HttpContext.User</c>: it carries the one
/// <see cref="Principal"/> of the request, and whatever credential proved it (a registry token's claims, for the
/// <c>/v2</c> scope check). Claims are only those the credential came with (the UI cookie's, so a sliding renewal
/// re-issues the same cookie); authorization never reads claims, only <see cref="Principal"/>.
/// </summary>
internal sealed class PrincipalIdentity : ClaimsIdentity
{
    public PrincipalIdentity(Principal principal, string authenticationType, object? credential = null, IEnumerable<Claim>? claims = null)
        : base(claims, authenticationType)
    {
        Principal = principal;
        Credential = credential;
    }

    public Principal Principal { get; }

    /// <summary>What the caller presented, when a later check needs it (e.g. the registry token's access claims).</summary>
    public object? Credential { get; }

    public override string? Name => Principal.Name;

    public override bool IsAuthenticated => Principal.IsAuthenticated;
}
