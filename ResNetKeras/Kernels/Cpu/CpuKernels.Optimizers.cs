namespace ResNetKeras.Kernels.Cpu;

/// <summary>
/// Keras 3's optimizer update steps (keras/src/optimizers/*.py), gradient clipping, decoupled weight decay and the
/// EMA of weights, one element loop each in float32. Each loop performs Keras's ops in Keras's order (for example
/// (lr·g)/√(v + ε), not lr·(g/√(v + ε))); a coefficient Keras computes in Python double (1 − ρ) arrives precomputed, so a step rounds as the TensorFlow backend's element-wise ops do.
/// </summary>
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void RmspropUpdate(float[] theta, float[] g, float[] velocity, float[]? momentum, float[]? averageGradient, float lr, float rho, float oneMinusRho, float momentumCoefficient, float epsilon)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            float gi = g[i];
            velocity[i] = rho * velocity[i] + oneMinusRho * (gi * gi);
            float denominator;
            if (averageGradient is not null)
            {
                averageGradient[i] = rho * averageGradient[i] + oneMinusRho * gi;
                denominator = velocity[i] - averageGradient[i] * averageGradient[i] + epsilon;
            }
            else denominator = velocity[i] + epsilon;
            float increment = lr * gi / MathF.Sqrt(denominator);
            if (momentum is not null)
            {
                momentum[i] = momentumCoefficient * momentum[i] + increment;
                theta[i] -= momentum[i];
            }
            else theta[i] -= increment;
        }
    }

    /// <inheritdoc/>
    public void AdagradUpdate(float[] theta, float[] g, float[] accumulator, float lr, float epsilon)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            accumulator[i] += g[i] * g[i];
            theta[i] -= lr * g[i] / MathF.Sqrt(accumulator[i] + epsilon);
        }
    }

    /// <inheritdoc/>
    public void AdadeltaUpdate(float[] theta, float[] g, float[] accumulatedGrad, float[] accumulatedDeltaVar, float lr, float rho, float oneMinusRho, float epsilon)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            float gi = g[i];
            accumulatedGrad[i] = rho * accumulatedGrad[i] + oneMinusRho * (gi * gi);
            float delta = -(MathF.Sqrt(accumulatedDeltaVar[i] + epsilon) * gi / MathF.Sqrt(accumulatedGrad[i] + epsilon));
            accumulatedDeltaVar[i] = rho * accumulatedDeltaVar[i] + oneMinusRho * (delta * delta);
            theta[i] += lr * delta;
        }
    }

    /// <inheritdoc/>
    public void AdamaxUpdate(float[] theta, float[] g, float[] m, float[] u, float lr, float oneMinusBeta1, float beta2, float oneMinusBeta1Power, float epsilon)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            m[i] += (g[i] - m[i]) * oneMinusBeta1;
            u[i] = MathF.Max(beta2 * u[i], MathF.Abs(g[i]));
            theta[i] -= lr * m[i] / (oneMinusBeta1Power * (u[i] + epsilon));
        }
    }

    /// <inheritdoc/>
    public void NadamUpdate(float[] theta, float[] g, float[] m, float[] v, float lr, float beta1, float beta2, float uT, float uT1,
        float uProductT, float uProductT1, float beta2Power, float epsilon)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            float gi = g[i];
            m[i] += (gi - m[i]) * (1 - beta1);
            v[i] += (gi * gi - v[i]) * (1 - beta2);
            float mHat = uT1 * m[i] / (1 - uProductT1) + (1 - uT) * gi / (1 - uProductT);
            float vHat = v[i] / (1 - beta2Power);
            theta[i] -= mHat * lr / (MathF.Sqrt(vHat) + epsilon);
        }
    }

    /// <inheritdoc/>
    public void LionUpdate(float[] theta, float[] g, float[] m, float lr, float beta1, float beta2)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            float c = m[i] * beta1 + g[i] * (1 - beta1);
            // ops.sign: NaN stays NaN (MathF.Sign would throw) and 0 stays 0.
            theta[i] -= lr * (c > 0 ? 1f : c < 0 ? -1f : c);
            m[i] = m[i] * beta2 + g[i] * (1 - beta2);
        }
    }

    /// <inheritdoc/>
    public void DecayWeights(float[] theta, float weightDecay, float lr)
    {
        for (int i = 0; i < theta.Length; i++) theta[i] -= theta[i] * weightDecay * lr;
    }

    /// <inheritdoc/>
    public void ClipByNorm(float[] g, float[] y, float clipnorm)
    {
        // Keras sums the squares in float32; the double sum differs from it in the last bits at most.
        double s = 0;
        foreach (float v in g) s += (double)v * v;
        float l2sum = (float)s;
        float l2norm = l2sum > 0 ? MathF.Sqrt(l2sum) : l2sum;
        float denominator = MathF.Max(l2norm, clipnorm);
        for (int i = 0; i < g.Length; i++) y[i] = g[i] * clipnorm / denominator;
    }

    /// <inheritdoc/>
    public void ClipByValue(float[] g, float[] y, float clipvalue)
    {
        for (int i = 0; i < g.Length; i++) y[i] = Math.Clamp(g[i], -clipvalue, clipvalue);
    }

    /// <inheritdoc/>
    public void ScaleByGlobalNorm(float[] g, float[] squaredNorm, float clipnorm, float[] y)
    {
        float norm = MathF.Sqrt(squaredNorm[0]);
        // Keras's clip_by_global_norm: NaN when the norm is not finite, a no-op otherwise.
        float scale = clipnorm * MathF.Min(1f / norm, 1f / clipnorm) + (norm - norm);
        for (int i = 0; i < g.Length; i++) y[i] = g[i] * scale;
    }

    /// <inheritdoc/>
    public void EmaUpdate(float[] average, float[] theta, float momentum)
    {
        for (int i = 0; i < average.Length; i++) average[i] = momentum * average[i] + (1 - momentum) * theta[i];
    }
}
