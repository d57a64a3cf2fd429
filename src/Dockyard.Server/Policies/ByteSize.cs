using System.Globalization;

namespace Dockyard.Server.Policies;

/// <summary>Byte counts for people: binary units with up to one decimal (<c>1.2 GiB</c>, <c>300 MiB</c>, <c>512 B</c>).</summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value, 1, MidpointRounding.AwayFromZero):0.#} {Units[unit]}");
    }
}
