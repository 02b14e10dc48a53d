namespace SmartKey.Benchmarks.Interpreter
{
    /// <summary>
    /// The metered operations' inputs (IlMeter/MeteredInputs.cs, packed by operation name) on the interpreter: the
    /// benchmark generates Find's body and the data assemblies with the device lane's LaneFileSources.
    /// </summary>
    internal static partial class InterpreterFiles
    {
        static partial void Find(string name, ref byte[] data);

        /// <summary>The inputs of one operation: u8 count | per input u16 length | bytes.</summary>
        public static byte[][] Inputs(string operation)
        {
            byte[] data = null;
            Find(operation, ref data);
            if (data == null)
            {
                throw new System.ArgumentException("no inputs for " + operation);
            }

            byte[][] inputs = new byte[data[0]][];
            int at = 1;
            for (int i = 0; i < inputs.Length; i++)
            {
                int length = data[at] | (data[at + 1] << 8);
                inputs[i] = new byte[length];
                System.Array.Copy(data, at + 2, inputs[i], 0, length);
                at += 2 + length;
            }

            return inputs;
        }

        internal static byte[] Join(byte[][] parts)
        {
            int length = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                length += parts[i].Length;
            }

            byte[] all = new byte[length];
            int at = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                System.Array.Copy(parts[i], 0, all, at, parts[i].Length);
                at += parts[i].Length;
            }

            return all;
        }
    }
}
