namespace Dockyard.Control.Compose.Yaml;

/// <summary>One key and its value in a <see cref="YamlMap"/>.</summary>
internal sealed record YamlEntry(YamlScalar Key, YamlNode Value);
