namespace Dockyard.Server.Control.Stacks.Hooks;

/// <summary>The answer to a good hook call (202): what will happen, in the background.</summary>
/// <param name="Stack">The stack.</param>
/// <param name="Hook">The hook's id.</param>
/// <param name="Queued">False when a redeploy of the stack was already waiting and this call joined it.</param>
/// <param name="Message">What the redeploy does.</param>
internal sealed record StackHookCallView(string Stack, long Hook, bool Queued, string Message);
