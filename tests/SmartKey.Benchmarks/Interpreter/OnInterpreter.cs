using System.Diagnostics;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Crypto.P256;
using SmartKey.Firmware.Session;

namespace SmartKey.Benchmarks.Interpreter
{
    /// <summary>
    /// The metered operations (IlMeter/MeteredOperations.cs) on nanoFramework's interpreter, for its own opcode counter:
    /// each runs once to warm up (static constructors, first-use buffers, as the meter does), then between the markers
    /// "@@begin name" and "@@end name", which the counting nanoCLR answers with its count on stderr. "@@begin calibrate"
    /// / "@@end calibrate" around nothing give the markers' own cost. Built and run by InterpreterFigures; device code.
    /// </summary>
    public static class OnInterpreter
    {
        public static void Main()
        {
            Measure("calibrate");
            string[] operations = new string[]
            {
                "sha256-1k", "hmac-64", "field-mul", "field-sqr", "field-add", "field-invert", "scalar-invert", "scalar-invert-public",
                "point-double", "point-add-mixed", "point-add", "ecdsa-verify", "ecdh", "pairing-prepare", "pairing-device",
                "pairing-device-unprepared", "ota-chunk-hash-4k", "unlock-device",
            };
            for (int i = 0; i < operations.Length; i++)
            {
                Measure(operations[i]);
            }

            System.Console.WriteLine("done");
        }

        private static void Measure(string name)
        {
            Operation warmUp = Build(name);
            warmUp.Run();
            Operation operation = Build(name);
            string begin = "@@begin " + name, end = "@@end " + name;
            Debug.WriteLine(begin);
            operation.Run();
            Debug.WriteLine(end);
            if (!operation.Succeeded)
            {
                System.Console.WriteLine("failed " + name);
            }
        }

        private static Operation Build(string name)
        {
            return new Operation(name, name == "calibrate" ? new byte[0][] : InterpreterFiles.Inputs(name));
        }

        /// <summary>One operation with its inputs made ready outside the markers.</summary>
        private sealed class Operation
        {
            private readonly string _name;
            private readonly byte[][] _in;
            private readonly uint[] _a, _b, _r = Field.Create(), _t0 = Field.Create(), _t1 = Field.Create(), _t2 = Field.Create(), _t3 = Field.Create();
            private readonly Scalar _scalar = new Scalar();
            private readonly PointArithmetic _math = new PointArithmetic();
            private readonly JacobianPoint _p, _q;
            private readonly AffinePoint _g = new AffinePoint();
            private readonly Sha256 _sha = new Sha256();
            private readonly byte[] _out = new byte[64], _state = new byte[Sha256.StateLength];
            private readonly EcdsaP256Verifier _verifier = new EcdsaP256Verifier();
            private readonly EcdhP256 _ecdh = new EcdhP256();
            private readonly Spake2PlusVerifier _device;
            private readonly byte[] _shareP, _context = Ascii("SmartKey pairing v1"), _idP = Ascii("phone"), _idV = Ascii("SK-1");
            private readonly SecureChannel _deviceChannel;
            private readonly byte[] _open, _plaintext = new byte[64], _reply = new byte[] { 0x01, 0x07, 0x00, 0x02 };

            private readonly HmacSha256 _hmac;

            public Operation(string name, byte[][] input)
            {
                _name = name;
                _in = input;
                Succeeded = true;
                if (name.IndexOf("field") == 0 || name.IndexOf("scalar") == 0)
                {
                    _a = Element(input[0]);
                    _b = input.Length > 1 ? Element(input[1]) : null;
                }

                if (name == "hmac-64")
                {
                    _hmac = new HmacSha256(input[0]);
                }

                if (name.IndexOf("point") == 0)
                {
                    _p = Generator();
                    _q = Generator();
                    _g.Load(Tables.GeneratorOddMultiples, 1);
                    if (name == "point-add-mixed")
                    {
                        _math.Double(_p, _p);
                    }

                    if (name == "point-add")
                    {
                        _math.Double(_q, _q);
                    }
                }

                if (name.IndexOf("pairing") == 0)
                {
                    byte[] w0 = input[0], w1 = input[1];
                    byte[] l = new Spake2PlusProver(w0, w1).ComputeL();
                    _device = new Spake2PlusVerifier(w0, l);
                    if (name != "pairing-prepare")
                    {
                        Spake2PlusProver prover = new Spake2PlusProver(w0, w1);
                        prover.Start(input[2]);
                        _shareP = prover.ShareP;
                        if (name == "pairing-device")
                        {
                            _device.Prepare();
                        }
                    }
                }

                if (name == "unlock-device")
                {
                    SecureChannel phone = new SecureChannel(new SmartKey.NFUnitTest.Hal.ManagedAesBlock(), false);
                    phone.Establish(input[0], 1, input[1], input[2]);
                    _open = phone.SealOpen(1, input[2], new byte[] { 0x01, 0x07 }, 2);
                    _deviceChannel = new SecureChannel(new SmartKey.NFUnitTest.Hal.ManagedAesBlock(), new ManagedHmacSha256(), true);
                }
            }

            public bool Succeeded { get; private set; }

            public void Run()
            {
                switch (_name)
                {
                    case "sha256-1k": _sha.Update(_in[0], 0, _in[0].Length); _sha.Final(_out, 0); break;
                    case "hmac-64": _hmac.Compute(_in[1], 0, 64, _out, 0); break;
                    case "field-mul": Field.Multiply(_r, _a, _b); break;
                    case "field-sqr": Field.Square(_r, _a); break;
                    case "field-add": Field.Add(_r, _a, _b); break;
                    case "field-invert": Field.Invert(_r, _a, _t0, _t1, _t2, _t3); break;
                    case "scalar-invert": _scalar.Invert(_r, _a); break;
                    case "scalar-invert-public": _scalar.InvertPublic(_r, _a); break;
                    case "point-double": _math.Double(_p, _p); break;
                    case "point-add-mixed": _math.AddMixed(_p, _p, _g); break;
                    case "point-add": _math.Add(_p, _p, _q); break;
                    case "ecdsa-verify": Succeeded = _verifier.VerifyDigest(_in[0], 0, 65, _in[1], 0, _in[2], 0, 64); break;
                    case "ecdh": Succeeded = _ecdh.TryComputeSharedSecret(_in[0], _in[1], 0, 65, _out, 0); break;
                    case "pairing-prepare": _device.Prepare(); break;
                    case "pairing-device":
                    case "pairing-device-unprepared":
                        Succeeded = _device.Start(_in[3]) && _device.Finish(_shareP, _context, _idP, _idV) != null;
                        break;
                    case "ota-chunk-hash-4k": _sha.Update(_in[0], 0, _in[0].Length); _sha.Save(_state, 0); break;
                    case "unlock-device":
                        _deviceChannel.Establish(_in[0], 1, _in[1], _in[2]);
                        int length;
                        Succeeded = _deviceChannel.OpenFirst(_open, _open.Length, _plaintext, out length) == 0 && length == 2;
                        _deviceChannel.SealData(_reply, _reply.Length);
                        break;
                }
            }

            private static uint[] Element(byte[] limbs)
            {
                uint[] r = Field.Create();
                for (int i = 0; i < 8; i++)
                {
                    r[i] = (uint)(limbs[4 * i] | (limbs[4 * i + 1] << 8) | (limbs[4 * i + 2] << 16) | (limbs[4 * i + 3] << 24));
                }

                return r;
            }

            private static JacobianPoint Generator()
            {
                AffinePoint g = new AffinePoint();
                g.Load(Tables.GeneratorOddMultiples, 0);
                JacobianPoint p = new JacobianPoint();
                p.SetAffine(g);
                return p;
            }

            private static byte[] Ascii(string text)
            {
                byte[] bytes = new byte[text.Length];
                for (int i = 0; i < text.Length; i++)
                {
                    bytes[i] = (byte)text[i];
                }

                return bytes;
            }
        }
    }
}
