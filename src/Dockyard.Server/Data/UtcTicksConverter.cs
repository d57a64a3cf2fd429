using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Dockyard.Server.Data;

/// <summary>Stores a <see cref="DateTimeOffset"/> as its UTC ticks; read back as UTC.</summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
