using Microsoft.Extensions.Logging;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>One log entry seen by <see cref="CapturingLoggerProvider"/>.</summary>
internal sealed record CapturedLogEntry(string Category, LogLevel Level, int EventId, string Message);
