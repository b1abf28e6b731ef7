/**
 * TensorFlow.js itself, without backend selection: code that only needs tensors and layers
 * imports it from here, so a bundle of it (the web app's model upload) never pulls in the optional
 * tfjs-node import or the wasm backend that `backend.ts` loads.
 */
import * as tf from "@tensorflow/tfjs";

export { tf };
