namespace Dockyard.Server.Control.Stacks.Hooks;

/// <summary>A hook just created: the only answer that carries its <see cref="Token"/> and the full <see cref="Url"/> to call.</summary>
internal sealed record NewStackHookView(long Id, string Prefix, string Token, string Url, string CreatedBy, DateTimeOffset CreatedAt);
