// The stack this project replaces, as it is commonly deployed: Node-Media-Server v2 takes RTMP and its `trans`
// task runs ffmpeg to write HLS on disk; a chokidar watcher uploads what ffmpeg writes to S3 with aws-sdk v2.
// The watcher is the quickest sane version of that glue: when the playlist changes it uploads the segments the
// playlist newly lists (they are complete by then) and, side by side, the playlist itself.
//
// Settings come from the environment: RTMP_PORT, MEDIA_ROOT, FFMPEG, S3_ENDPOINT, S3_BUCKET and the SDK's own
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
const NodeMediaServer = require('node-media-server');
const chokidar = require('chokidar');
const AWS = require('aws-sdk');
const fs = require('fs');
const path = require('path');

const mediaRoot = path.resolve(process.env.MEDIA_ROOT);
const bucket = process.env.S3_BUCKET;
const s3 = new AWS.S3({
  endpoint: process.env.S3_ENDPOINT,
  s3ForcePathStyle: true,
  signatureVersion: 'v4',
  region: 'us-east-1',
});

const nms = new NodeMediaServer({
  logType: 2,
  rtmp: { port: Number(process.env.RTMP_PORT), chunk_size: 60000, gop_cache: true, ping: 30, ping_timeout: 60 },
  http: { port: Number(process.env.HTTP_PORT), mediaroot: mediaRoot, allow_origin: '*' },
  trans: {
    ffmpeg: process.env.FFMPEG,
    tasks: [{ app: 'live', hls: true, hlsFlags: '[hls_time=1:hls_list_size=100:hls_flags=delete_segments]' }],
  },
});
nms.run();

const uploaded = new Set();

function upload(file) {
  const key = path.relative(mediaRoot, file).split(path.sep).join('/');
  fs.readFile(file, (readError, body) => {
    if (readError) {
      console.log(`upload ${key} failed: ${readError.code}`);
      return;
    }
    s3.upload({ Bucket: bucket, Key: key, Body: body }, (error) => {
      if (error) {
        console.log(`upload ${key} failed: ${error.code}`);
      }
    });
  });
}

function playlistChanged(file) {
  fs.readFile(file, 'utf8', (error, text) => {
    if (error) {
      return;
    }
    for (const line of text.split('\n')) {
      const name = line.trim();
      if (name.endsWith('.ts')) {
        const segment = path.join(path.dirname(file), name);
        if (!uploaded.has(segment)) {
          uploaded.add(segment);
          upload(segment);
        }
      }
    }
    upload(file);
  });
}

chokidar.watch(mediaRoot, { ignoreInitial: true })
  .on('add', (file) => file.endsWith('.m3u8') && playlistChanged(file))
  .on('change', (file) => file.endsWith('.m3u8') && playlistChanged(file))
  .on('ready', () => console.log('uploader watching ' + mediaRoot));
