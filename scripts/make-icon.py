# Draws media/icon.png (128x128): a status-bar-like pill with a check mark, in plain RGBA, no image library needed.
import struct, zlib, math

W = H = 128
px = [[(0, 0, 0, 0)] * W for _ in range(H)]

def blend(x, y, color, alpha):
    r, g, b, a = px[y][x]
    px[y][x] = tuple(int(c * alpha + o * (1 - alpha)) for c, o in zip(color, (r, g, b))) + (max(a, int(alpha * 255)),)

def disc(cx, cy, radius, color):
    for y in range(H):
        for x in range(W):
            d = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
            coverage = min(1.0, max(0.0, radius - d + 0.5))
            if coverage > 0:
                blend(x, y, color, coverage)

def segment(x0, y0, x1, y1, width, color):
    for y in range(H):
        for x in range(W):
            px_, py_ = x + 0.5, y + 0.5
            dx, dy = x1 - x0, y1 - y0
            t = max(0.0, min(1.0, ((px_ - x0) * dx + (py_ - y0) * dy) / (dx * dx + dy * dy)))
            d = math.hypot(px_ - (x0 + t * dx), py_ - (y0 + t * dy))
            coverage = min(1.0, max(0.0, width / 2 - d + 0.5))
            if coverage > 0:
                blend(x, y, color, coverage)

disc(64, 64, 60, (236, 112, 166))    # the round pink body
disc(64, 64, 44, (255, 255, 255))
segment(42, 66, 57, 81, 12, (46, 160, 67))
segment(57, 81, 88, 48, 12, (46, 160, 67))

raw = b''.join(b'\x00' + bytes(sum((list(p) for p in row), [])) for row in px)
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
open('media/icon.png', 'wb').write(png)
