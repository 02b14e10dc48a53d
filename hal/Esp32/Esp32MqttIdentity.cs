using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;

namespace SmartKey.Hal.Esp32
{
    /// <summary>
    /// The lock's broker identity, read from the internal drive where the technician's kit put it (nanoff file
    /// deployment): the broker's CA (DER), the lock's client certificate (DER, CN = serial) and its P-256 key
    /// (PEM). Load never throws: a missing, unreadable or malformed file is reported on the console and leaves
    /// the identity incomplete, so the link stays offline while the lock works on.
    /// </summary>
    public sealed class Esp32MqttIdentity
    {
        private Esp32MqttIdentity(X509Certificate brokerCa, X509Certificate2 client, string problem)
        {
            BrokerCa = brokerCa;
            Client = client;
            Problem = problem;
        }

        public X509Certificate BrokerCa { get; private set; }

        /// <summary>The client certificate with its private key, presented in the TLS handshake.</summary>
        public X509Certificate2 Client { get; private set; }

        /// <summary>Why the identity is incomplete, or null.</summary>
        public string Problem { get; private set; }

        public bool IsComplete
        {
            get { return Problem == null; }
        }

        public static Esp32MqttIdentity Load(string brokerCaPath, string clientCertificatePath, string clientKeyPath)
        {
            string problem = null;
            byte[] ca = Read(brokerCaPath, ref problem);
            byte[] certificate = Read(clientCertificatePath, ref problem);
            byte[] key = Read(clientKeyPath, ref problem);
            X509Certificate brokerCa = null;
            X509Certificate2 client = null;
            if (problem == null)
            {
                try
                {
                    brokerCa = new X509Certificate(ca);
                    // mbedTLS parses a PEM key only from a zero-terminated buffer.
                    client = new X509Certificate2(certificate, Terminated(key), "");
                }
                catch (Exception e)
                {
                    problem = clientCertificatePath + " or " + clientKeyPath + " is not a valid certificate and key (" + e.Message + ")";
                }
            }

            if (problem != null)
            {
                Console.WriteLine("SmartKey: error: MQTT identity: " + problem + "; telemetry and updates over MQTT stay off until the kit is deployed again");
            }

            return new Esp32MqttIdentity(brokerCa, client, problem);
        }

        private static byte[] Read(string path, ref string problem)
        {
            if (problem != null)
            {
                return null;
            }

            try
            {
                if (!File.Exists(path))
                {
                    problem = path + " is missing";
                    return null;
                }

                byte[] bytes = File.ReadAllBytes(path);
                if (bytes.Length == 0)
                {
                    problem = path + " is empty";
                    return null;
                }

                return bytes;
            }
            catch (Exception e)
            {
                problem = path + " cannot be read (" + e.Message + ")";
                return null;
            }
        }

        private static byte[] Terminated(byte[] pem)
        {
            if (pem[pem.Length - 1] == 0)
            {
                return pem;
            }

            byte[] terminated = new byte[pem.Length + 1];
            Array.Copy(pem, terminated, pem.Length);
            return terminated;
        }
    }
}
