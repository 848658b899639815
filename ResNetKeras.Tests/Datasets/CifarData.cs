using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace ResNetKeras.Tests.Datasets;

/// <summary>Builds small synthetic CIFAR-10 batches, folders and archives in both of its formats.</summary>
internal static class CifarData
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Cifar10", name);

    public static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), $"cifar_test_{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Pixel planes of <paramref name="n"/> images (R plane, G plane, B plane of 32x32 each), distinct per salt.</summary>
    public static byte[] Planes(int n, int salt)
    {
        var p = new byte[n * 3072];
        for (int i = 0; i < p.Length; i++) p[i] = (byte)((i * 13 + salt * 101 + i / 3072 * 7) % 251);
        return p;
    }

    public static byte[] Labels(int n, int salt) => Enumerable.Range(0, n).Select(j => (byte)((salt * 3 + j) % 10)).ToArray();

    /// <summary>A batch as Python 2's cPickle writes it (SHORT_BINSTRING keys, BINSTRING data), the framing of the real files.</summary>
    public static byte[] Python2Pickle(byte[] planes, byte[] labels)
    {
        var ms = new MemoryStream();
        void W(params byte[] b) => ms.Write(b);
        void Str(string s) { var b = Encoding.ASCII.GetBytes(s); W((byte)'U', (byte)b.Length); W(b); }
        W(0x80, 2, (byte)'}', (byte)'q', 1, (byte)'(');
        Str("data");
        W(Encoding.ASCII.GetBytes("cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n"));
        W((byte)'K', 0, 0x85); Str("b"); W(0x87, (byte)'R');
        W((byte)'(', (byte)'K', 1, (byte)'M'); W(BitConverter.GetBytes((ushort)labels.Length)); W((byte)'M'); W(BitConverter.GetBytes((ushort)3072)); W(0x86);
        W(Encoding.ASCII.GetBytes("cnumpy\ndtype\n")); Str("u1"); W((byte)'K', 0, (byte)'K', 1, 0x87, (byte)'R');
        W((byte)'(', (byte)'K', 3); Str("|"); W((byte)'N', (byte)'N', (byte)'N', (byte)'J'); W(BitConverter.GetBytes(-1)); W((byte)'J'); W(BitConverter.GetBytes(-1)); W((byte)'K', 0, (byte)'t', (byte)'b');
        W(0x89, (byte)'T'); W(BitConverter.GetBytes(planes.Length)); W(planes); W((byte)'t', (byte)'b');
        Str("labels"); W((byte)']', (byte)'(');
        foreach (var l in labels) W((byte)'K', l);
        W((byte)'e');
        Str("batch_label"); Str("training batch 1 of 5");
        Str("filenames"); W((byte)']', (byte)'(');
        for (int i = 0; i < labels.Length; i++) Str($"img{i}.png");
        W((byte)'e', (byte)'u', (byte)'.');
        return ms.ToArray();
    }

    /// <summary>Records of 1 label byte + 3072 pixel bytes, the binary version's layout.</summary>
    public static byte[] BinaryRecords(byte[] planes, byte[] labels)
    {
        var rec = new byte[labels.Length * 3073];
        for (int j = 0; j < labels.Length; j++)
        {
            rec[j * 3073] = labels[j];
            Buffer.BlockCopy(planes, j * 3072, rec, j * 3073 + 1, 3072);
        }
        return rec;
    }

    /// <summary>Six batches (data_batch_1..5, test_batch) with 1..3 images each; returns the planes and labels of each.</summary>
    public static (byte[] Planes, byte[] Labels)[] WriteFolder(string dir, bool binary, int seed = 0)
    {
        Directory.CreateDirectory(dir);
        var batches = new (byte[], byte[])[6];
        for (int i = 0; i < 6; i++)
        {
            int n = 1 + (i + seed) % 3;
            var planes = Planes(n, i + 10 * seed);
            var labels = Labels(n, i + seed);
            batches[i] = (planes, labels);
            string name = (i < 5 ? $"data_batch_{i + 1}" : "test_batch") + (binary ? ".bin" : "");
            File.WriteAllBytes(Path.Combine(dir, name), binary ? BinaryRecords(planes, labels) : Python2Pickle(planes, labels));
        }
        return batches;
    }

    /// <summary>A .tar.gz of <paramref name="dir"/> (with the folder itself as the top entry, as the real archives).</summary>
    public static byte[] TarGz(string dir, bool includeBaseDirectory = true)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            TarFile.CreateFromDirectory(dir, gz, includeBaseDirectory);
        return ms.ToArray();
    }

    /// <summary>The archive Keras downloads, in miniature: cifar-10-batches-py/ with six one- or two-image batches.</summary>
    public static byte[] SyntheticPythonArchive()
    {
        string root = TempDir();
        try
        {
            string dir = Path.Combine(root, "cifar-10-batches-py");
            WriteFolder(dir, binary: false);
            return TarGz(dir);
        }
        finally { Directory.Delete(root, true); }
    }
}
