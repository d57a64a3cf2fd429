namespace Dockyard.Server.Ui.Terminal;

/// <summary>
/// Put on a page (<c>@attribute [HostsTerminal]</c>) that renders a browser terminal
/// (<c>Components/ContainerConsolePanel</c>): the page is then served with <see cref="TerminalPage.ContentSecurityPolicy"/>
/// instead of the UI's stricter one, because xterm.js writes inline styles.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class HostsTerminalAttribute : Attribute;
