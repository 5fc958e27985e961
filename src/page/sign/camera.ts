import type { Clip } from '../../shared/landmarks/clip.ts';
import { kaggleFrameFromHolistic } from '../../shared/landmarks/from-holistic.ts';
import { VALUES_PER_FRAME } from '../../shared/landmarks/layout.ts';
import { clipToJsonBody } from '../../shared/landmarks/write-json.ts';
import type { PageConfig } from '../page-config.ts';
import { SignWindow, type Ask } from './sign-window.ts';

export interface SignCallbacks {
  status(text: string): void;
  /** The frame just seen, in the Kaggle layout, to draw; the video's height / width. */
  frame(frame: Clip, videoAspect: number): void;
  /** Send the window (already a JSON body) to the Worker and show the answer. */
  ask(ask: Ask, body: string): Promise<void>;
}

export interface SignSession {
  stop(): void;
}

/** 1e-4 of the image is a tenth of a pixel at webcam sizes, and keeps a 2 s window's body small. */
const DECIMALS = 4;

/**
 * The Sign tab's live path: MediaPipe's holistic landmarker on the webcam, each result converted by
 * kaggleFrameFromHolistic into a SignWindow, whose asks go to the Worker as JSON. It needs a camera and
 * MediaPipe's files from the network, so no test here runs it; everything it hands data to is tested.
 */
export async function startSigning(
  landmarker: PageConfig['landmarker'],
  video: HTMLVideoElement,
  on: SignCallbacks,
): Promise<SignSession> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error('this browser gives the page no camera (it needs https or localhost)');
  }
  on.status(`Loading MediaPipe's holistic landmarker (${landmarker.modelUrl})…`);
  const { FilesetResolver, HolisticLandmarker } = await import('@mediapipe/tasks-vision');
  const fileset = await FilesetResolver.forVisionTasks(landmarker.wasmBase);
  const detector = await HolisticLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: landmarker.modelUrl, delegate: 'GPU' },
    runningMode: 'VIDEO',
  });
  on.status('Waiting for the camera…');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } },
      audio: false,
    });
  } catch (error) {
    detector.close();
    throw error;
  }
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  on.status('Sign with your hands in view; lower them to finish a sign.');

  const window = new SignWindow();
  const frame = new Float32Array(VALUES_PER_FRAME);
  let stopped = false;
  let inFlight = false;
  let lastVideoTime = -1;
  let raf = 0;
  const loop = (): void => {
    if (stopped) return;
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.currentTime !== lastVideoTime) {
      lastVideoTime = video.currentTime;
      const now = performance.now();
      // Detection runs on the unmirrored video: the hands keep the names the Kaggle files use.
      kaggleFrameFromHolistic(detector.detectForVideo(video, now), frame);
      on.frame({ frameCount: 1, firstFrame: 0, data: frame }, video.videoHeight / video.videoWidth);
      const ask = window.push(frame, now);
      // A steady ask waits for the previous answer; the end of a sign is always sent.
      if (ask && (!inFlight || ask.reason === 'hands-dropped')) {
        inFlight = true;
        void on
          .ask(ask, JSON.stringify(clipToJsonBody(ask.clip, DECIMALS)))
          .finally(() => (inFlight = false));
      }
    }
    raf = requestAnimationFrame(loop);
  };
  raf = requestAnimationFrame(loop);

  return {
    stop() {
      stopped = true;
      cancelAnimationFrame(raf);
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
      video.hidden = true;
      detector.close();
    },
  };
}
