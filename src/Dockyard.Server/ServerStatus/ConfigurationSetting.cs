namespace Dockyard.Server.ServerStatus;

/// <summary>One configuration key as set, with its value (masked when secret) and the source that set it.</summary>
internal sealed record ConfigurationSetting(string Key, string Value, string Source, bool Masked);
