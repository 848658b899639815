namespace ResNetKeras.Tests.Examples;

/// <summary>Runs KerasCompare in-process with its standard output and error captured (the callers don't run in parallel).</summary>
internal static class KerasCompareRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (o, e) = (Console.Out, Console.Error);
        var (so, se) = (new StringWriter(), new StringWriter());
        Console.SetOut(so);
        Console.SetError(se);
        try { return (KerasCompare.Program.Main(args), so.ToString(), se.ToString()); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }
}
