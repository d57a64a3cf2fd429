using Dockyard.Server.Access;

namespace Dockyard.Server.Audit;

/// <summary>
/// Who acts and from where, as every audited service operation takes it: the <see cref="Principal"/> that is
/// authorized and the <see cref="AuditContext"/> its entries are recorded with. The API and the UI build it from the
/// request (<see cref="Of"/>); CLI verbs and jobs pass <see cref="System"/>.
/// </summary>
/// <param name="Principal">Who acts; authorization asks about this principal.</param>
/// <param name="Context">Actor, source address, user agent and request id of the entries.</param>
/// <param name="Notes">
/// Constant, non-secret facts the entry point adds to every entry's details (<c>via: cli</c>, <c>bootstrap: true</c>);
/// never request data, which goes through the operation's allow-listed fields.
/// </param>
internal sealed record Caller(Principal Principal, AuditContext Context, IReadOnlyList<KeyValuePair<string, object>> Notes)
{
    /// <summary>Dockyard itself (CLI verbs, jobs): authorized as a system administrator, recorded as actor <c>system</c>.</summary>
    public static readonly Caller System = new(Principal.System, AuditContext.System, []);

    /// <summary>The caller of a request: <c>HttpContext.User</c>'s principal and the request's audit context.</summary>
    public static Caller Of(HttpContext context) =>
        new(context.GetPrincipal(), context.RequestServices.GetRequiredService<AuditTrail>().ContextOf(context), []);

    /// <summary>The same caller with one more note in its entries' details.</summary>
    public Caller With(string name, object value) => this with { Notes = [.. Notes, new(name, value)] };
}
