using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ResNetKeras.Tests.Datasets;

/// <summary>
/// A one-request HTTP server on 127.0.0.1 (a free port chosen by the OS; nothing else is ever contacted). It can
/// answer with any status, declare a Content-Length longer than the body, or send part of the body and then stall.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task serving;

    public LoopbackServer(byte[] body, int status = 200, long? declaredLength = null, int? stallAfter = null)
    {
        listener.Start();
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/~kriz/cifar-10-python.tar.gz");
        serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(stop.Token);
            using var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
            string? line;
            while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(stop.Token)))
                if (line.StartsWith("GET ", StringComparison.Ordinal)) RequestLine = line;
            string reason = status switch { 200 => "OK", 404 => "Not Found", _ => "Error" };
            var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/octet-stream\r\nContent-Length: {declaredLength ?? body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stop.Token);
            int send = Math.Min(stallAfter ?? body.Length, body.Length);
            await stream.WriteAsync(body.AsMemory(0, send), stop.Token);
            await stream.FlushAsync(stop.Token);
            if (stallAfter is not null) await Task.Delay(Timeout.Infinite, stop.Token);
        });
    }

    public Uri Uri { get; }

    /// <summary>The request line received, e.g. <c>GET /~kriz/cifar-10-python.tar.gz HTTP/1.1</c>.</summary>
    public string? RequestLine { get; private set; }

    public void Dispose()
    {
        stop.Cancel();
        try { serving.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        listener.Stop();
        stop.Dispose();
    }
}
