using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.Filesystem;
using Dockyard.Registry.Storage.S3;
using Dockyard.Server.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddDockyardStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IStorageDriver>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var dataDirectory = provider.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
            return options.Driver switch
            {
                StorageDriverKind.Filesystem => new FilesystemStorageDriver(
                    string.IsNullOrWhiteSpace(options.Path) ? Path.Combine(dataDirectory.FullPath, "storage") : Path.GetFullPath(options.Path)),
                StorageDriverKind.S3 => new S3StorageDriver(options.S3, provider.GetRequiredService<TimeProvider>()),
                _ => throw new InvalidOperationException($"Unsupported storage driver '{options.Driver}'."),
            };
        });
        services.AddHostedService<S3BucketInitializer>();
        return services;
    }
}
