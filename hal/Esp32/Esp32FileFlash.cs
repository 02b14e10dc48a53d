using System;
using System.IO;

namespace SmartKey.Hal.Esp32
{
    /// <summary>
    /// The record store's flash region as one file on the littlefs drive I: (the ESP32 nanoFramework
    /// images expose no raw partition API). NOR rules are kept in software (a write only clears bits, an
    /// erase sets a sector to 0xFF) so the store behaves exactly as on the simulator. littlefs writes are
    /// copy-on-write: a cut during a write leaves the file's old content, which the store treats like an
    /// unfinished NOR write. Old blocks are not erased at once, so a factory reset also rewrites the file
    /// from scratch (see docs/storage.md).
    /// </summary>
    public sealed class Esp32FileFlash : IFlash
    {
        private readonly string _path;
        private readonly int _sectorSize;
        private readonly int _sectorCount;

        public Esp32FileFlash(string path, int sectorSize, int sectorCount)
        {
            _path = path;
            _sectorSize = sectorSize;
            _sectorCount = sectorCount;
            if (!File.Exists(path))
            {
                using (FileStream file = new FileStream(path, FileMode.Create, FileAccess.Write))
                {
                    byte[] erased = Erased(sectorSize);
                    for (int i = 0; i < sectorCount; i++)
                    {
                        file.Write(erased, 0, erased.Length);
                    }

                    file.Flush();
                }
            }
        }

        public int SectorSize
        {
            get { return _sectorSize; }
        }

        public int SectorCount
        {
            get { return _sectorCount; }
        }

        public FlashResult Read(int address, byte[] buffer, int offset, int count)
        {
            if (!InRange(address, count))
            {
                return FlashResult.OutOfRange;
            }

            try
            {
                using (FileStream file = new FileStream(_path, FileMode.Open, FileAccess.Read))
                {
                    file.Seek(address, SeekOrigin.Begin);
                    int done = 0;
                    while (done < count)
                    {
                        int n = file.Read(buffer, offset + done, count - done);
                        if (n <= 0)
                        {
                            return FlashResult.IoError;
                        }

                        done += n;
                    }
                }

                return FlashResult.Ok;
            }
            catch (IOException)
            {
                return FlashResult.IoError;
            }
        }

        public FlashResult Write(int address, byte[] data, int offset, int count)
        {
            if (!InRange(address, count))
            {
                return FlashResult.OutOfRange;
            }

            byte[] current = new byte[count];
            FlashResult read = Read(address, current, 0, count);
            if (read != FlashResult.Ok)
            {
                return read;
            }

            for (int i = 0; i < count; i++)
            {
                if ((data[offset + i] & ~current[i] & 0xFF) != 0)
                {
                    return FlashResult.NotErased;
                }

                current[i] = (byte)(current[i] & data[offset + i]);
            }

            return WriteRaw(address, current, count);
        }

        public FlashResult EraseSector(int sector)
        {
            if (sector < 0 || sector >= _sectorCount)
            {
                return FlashResult.OutOfRange;
            }

            return WriteRaw(sector * _sectorSize, Erased(_sectorSize), _sectorSize);
        }

        private FlashResult WriteRaw(int address, byte[] bytes, int count)
        {
            try
            {
                using (FileStream file = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite))
                {
                    file.Seek(address, SeekOrigin.Begin);
                    file.Write(bytes, 0, count);
                    file.Flush();
                }

                return FlashResult.Ok;
            }
            catch (IOException)
            {
                return FlashResult.IoError;
            }
        }

        private bool InRange(int address, int count)
        {
            return address >= 0 && count >= 0 && address + count <= _sectorSize * _sectorCount;
        }

        private static byte[] Erased(int length)
        {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++)
            {
                bytes[i] = 0xFF;
            }

            return bytes;
        }
    }
}
