namespace Dockyard.Registry.Maintenance;

/// <summary>Running totals of a check; <see cref="BytesPerSecond"/> is the digest verification rate so far.</summary>
public sealed record IntegrityProgress(string Phase, long Items, long BytesVerified, double BytesPerSecond, int Problems);
