namespace Dockyard.Server.Control.Stacks.Hooks;

/// <summary>The redeploy hooks of a stack, oldest first.</summary>
internal sealed record StackHookList(IReadOnlyList<StackHookView> Items);
